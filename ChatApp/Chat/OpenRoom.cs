namespace ChatApp.Chat;

/// <summary>
/// The room one tab shows, as a member: its timeline, its members (and their names, for mentions), who is typing,
/// and where the reader is. Applies that room's live events and says what they changed.
/// </summary>
public sealed class OpenRoom(RoomInfo info, RoomTimeline timeline, string meId, TypingState typing, TimeSpan typingTimeout)
{
    /// <summary>What an event changed, so that only that part renders again.</summary>
    [Flags]
    public enum Change
    {
        None = 0,
        /// <summary>The timeline: the message list renders.</summary>
        Messages = 1,
        /// <summary>Who is typing: the typing line renders.</summary>
        Typing = 2,
        /// <summary>Anything else (header, members, the new-messages pill): the page renders.</summary>
        Page = 4,
        /// <summary>Sequences are missing before the newest message: fill the gap after a grace.</summary>
        Gap = 8,
        /// <summary>The reader's own message while scrolled up, or "load older" appeared: scroll to the bottom.</summary>
        ScrollToBottom = 16,
    }

    public RoomInfo Info { get; set; } = info;

    public int Id => Info.Id;

    public RoomTimeline Timeline => timeline;

    public TypingState Typing => typing;

    public IReadOnlyList<RoomPerson> Members { get; private set; } = [];

    /// <summary>Members by display name (plus "room" outside direct messages), to mark @mentions.</summary>
    public IReadOnlyDictionary<string, string> MemberNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>Names the composer offers after "@": the others, and "room".</summary>
    public IReadOnlyList<string> MentionCandidates { get; private set; } = [];

    /// <summary>The reader sees the newest message (the end of a window short of it is not the bottom).</summary>
    public bool AtBottom { get; private set; } = true;

    /// <summary>Bumped when the room's pins may have changed (a pin, an unpin, a deletion), so an open Pinned panel reads them again.</summary>
    public int PinsVersion { get; private set; }

    /// <summary>Messages that arrived below what the reader sees.</summary>
    public int UnseenBelow { get; set; }

    public void SetAtBottom(bool bottom)
    {
        AtBottom = bottom && !timeline.HasNewer;
        if (AtBottom)
        {
            UnseenBelow = 0;
        }
    }

    private (int PresenceVersion, int Count)? online;

    /// <summary>Members not offline; counted again only when the members or their presence changed, not on every message.</summary>
    public int OnlineCount(SidebarState sidebar)
    {
        if (online is not { } counted || counted.PresenceVersion != sidebar.PresenceVersion)
        {
            counted = (sidebar.PresenceVersion, Members.Count(m => sidebar.PresenceOf(m.UserId) != PresenceStatus.Offline));
            online = counted;
        }
        return counted.Count;
    }

    public void SetMembers(IReadOnlyList<RoomPerson> people)
    {
        online = null;
        Members = people;
        var names = people.DistinctBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(p => p.DisplayName, p => p.UserId, StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<string> candidates = [.. people.Where(p => p.UserId != meId).Select(p => p.DisplayName)];
        if (!Info.IsDirect)
        {
            names[MessageFormatter.RoomMention] = MessageFormatter.RoomMention;
            candidates = [.. candidates, MessageFormatter.RoomMention];
        }
        MemberNames = names;
        MentionCandidates = candidates;
    }

    /// <summary>Applies an event of this room; events of other rooms change nothing.</summary>
    public Change Apply(RoomEvent roomEvent)
    {
        if (roomEvent.RoomId != Id)
        {
            return Change.None;
        }
        switch (roomEvent)
        {
            case MessagePosted { Message: var message }:
                return Posted(message);
            case MessageEdited { Message: var edited }:
                return timeline.Edit(edited) ? Change.Messages : Change.None;
            case MessageDeleted deleted:
                timeline.Delete(deleted.Sequence, deleted.ByModerator);
                PinsVersion++;
                return Change.Page;
            case PinChanged pin:
                timeline.SetPinned(pin.Sequence, pin.Pinned);
                PinsVersion++;
                return Change.Messages | Change.Page;
            case ReactionsChanged reacted:
                return timeline.SetReactions(reacted.Sequence, reacted.Reactions) ? Change.Messages : Change.None;
            case ThreadChanged thread:
                return timeline.SetThread(thread.RootSequence, thread.Summary) ? Change.Messages : Change.None;
            case UserTyping typingEvent when typingEvent.UserId != meId:
                typing.Typing(typingEvent.UserId, typingEvent.DisplayName, typingTimeout);
                return Change.Typing;
            case MemberJoined joined when Members.All(m => m.UserId != joined.UserId):
                SetMembers([.. Members, new RoomPerson(joined.UserId, joined.DisplayName)]);
                return Change.Page;
            case MemberLeft left:
                SetMembers([.. Members.Where(m => m.UserId != left.UserId)]);
                return Change.Page;
            default:
                return Change.None;
        }
    }

    private Change Posted(ChatMessage message)
    {
        var changed = message.AuthorId is { } authorId && typing.Stop(authorId) ? Change.Typing : Change.None;
        if (!message.InRoom)
        {
            // A thread-only reply keeps the room's sequences dense but is not shown there (the thread panel shows it).
            return changed | (timeline.Add(message, AtBottom).GapBefore ? Change.Gap : Change.None);
        }
        var mine = message.AuthorId == meId;
        var follow = mine || AtBottom;
        var posted = timeline.Add(message, follow);
        if (!posted.Shown || !follow)
        {
            UnseenBelow++;
            return changed | Change.Page | (posted.Shown ? Change.Messages : Change.None) | (posted.GapBefore ? Change.Gap : Change.None);
        }
        changed |= Change.Messages | (posted.GapBefore ? Change.Gap : Change.None);
        if (mine && !AtBottom || posted.OlderDropped)
        {
            // Scrolling (the browser keeps itself at the bottom) or "load older" needs the page.
            changed |= Change.Page | Change.ScrollToBottom;
        }
        return changed;
    }
}
