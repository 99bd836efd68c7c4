namespace ChatApp.Data;

/// <summary>One person's emoji reaction to a message; toggled, so at most one per person and emoji.</summary>
public sealed class MessageReaction
{
    public const int EmojiMaxLength = 16;

    public long MessageId { get; set; }

    public required string UserId { get; set; }

    public required string Emoji { get; set; }

    public DateTime CreatedAt { get; set; }

    public ApplicationUser User { get; set; } = null!;
}
