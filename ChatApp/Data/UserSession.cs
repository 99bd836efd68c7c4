namespace ChatApp.Data;

/// <summary>
/// A server-side sign-in session. The auth cookie carries only a random key; this row (found by the key's
/// hash) holds the protected ticket, so deleting the row signs that cookie out everywhere.
/// </summary>
public sealed class UserSession
{
    public const int IpAddressMaxLength = 64;
    public const int UserAgentMaxLength = 512;

    /// <summary>SHA-256 of the cookie's session key, hex; the key itself is never stored.</summary>
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public byte[] Ticket { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }
}
