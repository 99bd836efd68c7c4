namespace ChatApp.Data;

/// <summary>
/// A person's relation to a thread: following it (automatic when they post in it, are mentioned in it or wrote its
/// root) and how far they have read it. A row with <see cref="IsFollowing"/> false remembers an unfollow.
/// </summary>
public sealed class ThreadFollower
{
    public long RootMessageId { get; set; }

    public required string UserId { get; set; }

    public bool IsFollowing { get; set; } = true;

    /// <summary>Every reply up to this (room) sequence counts as read.</summary>
    public long LastReadSequence { get; set; }

    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
