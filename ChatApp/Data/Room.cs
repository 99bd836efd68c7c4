namespace ChatApp.Data;

public enum RoomKind
{
    Public = 0,
    Private = 1,
    Direct = 2,
}

public sealed class Room
{
    public const int NameMaxLength = 64;
    public const int TopicMaxLength = 250;
    public const int GeneralRoomId = 1;
    public const string GeneralRoomName = "general";

    public int Id { get; set; }

    /// <summary>Unique ignoring case for public and private rooms; empty for direct messages.</summary>
    public string Name { get; set; } = "";

    /// <summary>Upper-cased name carrying the unique index; null for direct messages.</summary>
    public string? NormalizedName { get; set; }

    public RoomKind Kind { get; set; }

    public string? Topic { get; set; }

    /// <summary>For direct messages: the sorted member ids, so a conversation between the same people is unique.</summary>
    public string? DirectKey { get; set; }

    public string? CreatedById { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The sequence of the newest message; incremented under the row lock when a message is sent.</summary>
    public long LastSequence { get; set; }

    public DateTime? LastMessageAt { get; set; }

    /// <summary>Only admins post.</summary>
    public bool IsReadOnly { get; set; }

    /// <summary>Read-only and hidden from the room lists; kept for its history.</summary>
    public bool IsArchived { get; set; }

    /// <summary>The room's creator may manage its incoming webhooks (admins always may); set by admins.</summary>
    public bool OwnerManagesWebhooks { get; set; }

    /// <summary>Only moderators (admins) pin and unpin messages; otherwise every member may. Set by moderators.</summary>
    public bool OnlyModeratorsPin { get; set; }

    public List<RoomMember> Members { get; set; } = [];

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();
}
