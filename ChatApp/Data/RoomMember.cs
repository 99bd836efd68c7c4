namespace ChatApp.Data;

public sealed class RoomMember
{
    public int RoomId { get; set; }

    public required string UserId { get; set; }

    public DateTime JoinedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The read marker: every message up to this sequence counts as read.</summary>
    public long LastReadSequence { get; set; }

    /// <summary>When the user last opened this room; /chat reopens the most recent one.</summary>
    public DateTime? LastOpenedAt { get; set; }

    /// <summary>A moderator's mute: the member reads but cannot post until then.</summary>
    public DateTime? MutedUntil { get; set; }

    /// <summary>The member's own choice of what in this room badges and notifies (not a moderator's mute).</summary>
    public NotificationLevel NotificationLevel { get; set; }

    public Room Room { get; set; } = null!;

    public ApplicationUser User { get; set; } = null!;
}
