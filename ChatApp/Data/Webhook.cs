namespace ChatApp.Data;

/// <summary>
/// An incoming webhook: a secret URL that posts into one room as a bot. Only a SHA-256 hash of the secret is
/// stored; the URL is shown once, when the webhook is created. Revoking keeps the row (and the bot's name on its
/// old messages); deleting the room deletes it.
/// </summary>
public sealed class Webhook
{
    public const int TokenHashLength = 32;

    public int Id { get; set; }

    public int RoomId { get; set; }

    /// <summary>The bot account the webhook posts as (<see cref="ApplicationUser.IsBot"/>); its display name is the webhook's name.</summary>
    public required string BotUserId { get; set; }

    public byte[] TokenHash { get; set; } = [];

    public string? CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public Room Room { get; set; } = null!;

    public ApplicationUser BotUser { get; set; } = null!;
}
