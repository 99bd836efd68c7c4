using ChatApp.Data;

namespace ChatApp.Chat;

/// <summary>
/// One tab's room list: the rooms and direct messages a user is in, their unread counts as live events move
/// them, and the presence of the people shown. The page loads it and feeds it events; components render it.
/// </summary>
public sealed class SidebarState(string meId, Func<string, PresenceStatus> presenceFallback, TimeProvider? time = null)
{
    private readonly Dictionary<string, PresenceStatus> presence = [];
    // Statuses that changed live since the people were loaded; a person's loaded status otherwise.
    private readonly Dictionary<string, PersonalStatus?> statuses = [];
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private List<RoomListEntry> rooms = [];

    public IReadOnlyList<RoomListEntry> Rooms => rooms;

    /// <summary>Bumped whenever someone's presence or status changed, so lists that show them know to render again.</summary>
    public int PresenceVersion { get; private set; }

    /// <summary>What the page title counts: the badges as shown (muted and mentions-only rooms count their mentions).</summary>
    public int TotalUnread => rooms.Sum(r => r.BadgeUnread > 0 ? r.BadgeUnread : r.UnreadMentions);

    public IEnumerable<int> RoomIds => rooms.Select(r => r.Id);

    public void Load(IEnumerable<SidebarRoom> loaded) => rooms = [.. loaded.Select(r => new RoomListEntry(r))];

    public RoomListEntry? Find(int roomId) => rooms.FirstOrDefault(r => r.Id == roomId);

    public bool Remove(int roomId) => rooms.RemoveAll(r => r.Id == roomId) > 0;

    public PresenceStatus PresenceOf(string userId) =>
        presence.TryGetValue(userId, out var status) ? status : presenceFallback(userId);

    public void SetPresence(string userId, PresenceStatus status)
    {
        presence[userId] = status;
        PresenceVersion++;
    }

    /// <summary>The status to show next to a person now: the live one if it changed, else the loaded one; none once expired.</summary>
    public PersonalStatus? StatusOf(RoomPerson person)
    {
        var status = statuses.TryGetValue(person.UserId, out var live) ? live : person.Status;
        return status?.IsShownAt(clock.GetUtcNow().UtcDateTime) == true ? status : null;
    }

    public void SetStatus(string userId, PersonalStatus? status)
    {
        statuses[userId] = status;
        PresenceVersion++;
    }

    public void SetLevel(int roomId, NotificationLevel level)
    {
        if (Find(roomId) is { } entry)
        {
            entry.Level = level;
        }
    }

    /// <summary>Everything up to <paramref name="sequence"/> was read in this tab: no badge.</summary>
    public void MarkRead(int roomId, long sequence)
    {
        if (Find(roomId) is { } entry)
        {
            entry.Unread = 0;
            entry.UnreadMentions = 0;
            entry.LastReadSequence = Math.Max(entry.LastReadSequence, sequence);
        }
    }

    /// <summary>
    /// Counts a message that arrived and was not read on arrival (another room, the tab hidden, the reader scrolled
    /// up). The user's own messages are read by definition. Returns whether the room's badge changed.
    /// </summary>
    public bool CountArrived(ChatMessage message)
    {
        // A thread-only reply is not the room's: it neither counts nor moves the room's read marker.
        if (Find(message.RoomId) is not { } entry || !message.InRoom)
        {
            return false;
        }
        if (message.AuthorId == meId)
        {
            entry.LastReadSequence = Math.Max(entry.LastReadSequence, message.Sequence);
            return false;
        }
        if (message.Sequence <= entry.LastReadSequence)
        {
            return false;
        }
        entry.Unread++;
        if (message.Mentions(meId))
        {
            entry.UnreadMentions++;
        }
        return true;
    }

    /// <summary>
    /// An unread message was deleted: one fewer unread. Returns whether its mention count may be off too (it
    /// cannot tell whether the deleted message was a mention: the caller counts again).
    /// </summary>
    public bool CountDeleted(MessageDeleted deleted)
    {
        if (Find(deleted.RoomId) is not { } entry || deleted.AuthorId == meId || deleted.Sequence <= entry.LastReadSequence || entry.Unread == 0)
        {
            return false;
        }
        entry.Unread--;
        return entry.UnreadMentions > 0;
    }

    public enum MarkerMove
    {
        /// <summary>Nothing to show (usually this tab moved the marker itself).</summary>
        None,
        /// <summary>The badge was cleared.</summary>
        Cleared,
        /// <summary>The marker moved past some unread messages: the counts must be read again.</summary>
        CountAgain,
    }

    /// <summary>The read marker moved in another tab; <paramref name="readingHere"/>: this tab shows the room's newest messages.</summary>
    public MarkerMove MoveReadMarker(int roomId, long sequence, bool readingHere)
    {
        if (Find(roomId) is not { } entry || sequence <= entry.LastReadSequence)
        {
            return MarkerMove.None;
        }
        entry.LastReadSequence = sequence;
        if (!readingHere)
        {
            return MarkerMove.CountAgain;
        }
        var badgeShown = entry.Unread != 0 || entry.UnreadMentions != 0;
        entry.Unread = 0;
        entry.UnreadMentions = 0;
        return badgeShown ? MarkerMove.Cleared : MarkerMove.None;
    }

    public void SetCounts(int roomId, int unread, int mentions)
    {
        if (Find(roomId) is { } entry)
        {
            entry.Unread = unread;
            entry.UnreadMentions = mentions;
        }
    }
}
