
namespace ChatApp.Chat;

/// <summary>
/// The one check every write to a room goes through (send, edit, react, upload): the room is open for posting,
/// the writer is not muted there, and the writer is within the per-user rate, one bucket for all writes.
/// </summary>
public sealed class PostingRules(RoomMembership membership, AdminRoster admins, SendRateLimiter rateLimiter, TimeProvider time)
{
    public const string SlowDown = "You are sending messages too fast. Wait a moment, then send again.";

    private const string MutedPrefix = "A moderator muted you";

    /// <summary>Why the user may not post in this room right now (read-only, archived, muted), or null.</summary>
    public async Task<string?> CheckAsync(string userId, int roomId)
    {
        var room = await membership.GetStateAsync(roomId);
        if (room is not null && (room.IsArchived || room.IsReadOnly) && !await admins.IsAdminAsync(userId))
        {
            return room.IsArchived ? "This room is archived: it can be read but not posted to." : "This room is read-only: only admins post here.";
        }
        if (await MutedUntilAsync(userId, roomId) is { } until)
        {
            return $"{MutedPrefix} in this room until {until:yyyy-MM-dd HH:mm} UTC.";
        }
        return null;
    }

    /// <summary>
    /// <see cref="CheckAsync"/>, then one token of the writer's rate; null when the write may go ahead. The caller
    /// has checked that the user can read the room.
    /// </summary>
    public async Task<string?> AuthorizeWriteAsync(string userId, int roomId) =>
        await CheckAsync(userId, roomId) ?? (await rateLimiter.TryAcquireAsync(userId) ? null : SlowDown);

    /// <summary>The metrics reason of a refusal given by <see cref="AuthorizeWriteAsync"/>.</summary>
    internal static ChatApp.Chat.SendRefusal ReasonOf(string refusal) =>
        refusal == SlowDown ? ChatApp.Chat.SendRefusal.RateLimit
        : refusal.StartsWith(MutedPrefix, StringComparison.Ordinal) ? ChatApp.Chat.SendRefusal.Mute
        : ChatApp.Chat.SendRefusal.ReadOnly;

    public Task<DateTime?> MutedUntilAsync(string userId, int roomId) =>
        membership.MutedUntilAsync(userId, roomId, time.GetUtcNow().UtcDateTime);
}
