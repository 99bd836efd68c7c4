namespace ChatApp.Data;

/// <summary>A message pinned to its room; a message is pinned at most once. Deleting the message or the room deletes it.</summary>
public sealed class PinnedMessage
{
    public long MessageId { get; set; }

    public int RoomId { get; set; }

    /// <summary>Null once the account of whoever pinned it was deleted.</summary>
    public string? PinnedById { get; set; }

    public DateTime PinnedAt { get; set; }

    public Message Message { get; set; } = null!;

    public ApplicationUser? PinnedBy { get; set; }
}
