namespace ChatApp.Chat;

/// <summary>
/// The tab's row feed (<see cref="LiveRowFeed"/>). While it carries the open room's new rows, the list renders only the
/// messages up to <see cref="NativeThrough"/>; the browser holds the carried rows after them. The list takes them over
/// (renders them itself, and the browser drops its copies) only when it must: a row the feed did not carry (the reader's
/// own, one that mentions them), a change to a carried row, the reader acting on one, a jump, or the feed ending.
/// </summary>
public sealed partial class ChatTab
{
    private int carriedSinceRender;

    /// <summary>The tab's row feed, once its browser was given one (the page opens it for rooms of more than Chat:LiveRowsMembers members).</summary>
    public LiveRowFeed? RowFeed
    {
        get;
        set
        {
            field = value;
            value?.Show(RowFeedRoomId);
            ShowCarriedRows();
        }
    }

    /// <summary>The open room when its new rows may come over the row feed (more than <see cref="ChatOptions.LiveRowsMembers"/> members), else 0.</summary>
    public int RowFeedRoomId => Room is { } room && room.Members.Count > options.Value.LiveRowsMembers ? room.Id : 0;

    /// <summary>
    /// The last sequence the list renders itself; null while it renders every message (no rows are carried). It holds
    /// for the timeline it was set on and only until that timeline reads anything from the database (another room, a
    /// jump, a page of history, a catch-up or gap fill: rows no feed carried) or highlights a message.
    /// </summary>
    public long? NativeThrough =>
        carriedAfter is { } after && ReferenceEquals(after.Timeline, Room?.Timeline) && after.Loads == after.Timeline.Loads
            && after.Timeline.Highlight is null ? after.Through : null;

    private (RoomTimeline Timeline, int Loads, long Through)? carriedAfter;

    /// <summary>The list renders every row again, carried ones too; the browser drops its copies.</summary>
    public void ShowCarriedRows()
    {
        carriedAfter = null;
        carriedSinceRender = TrimStart(RoomTimeline.LiveWindow);
    }

    /// <summary>The reader acts on the rows: the list takes in the rows still on their way to the circuit and takes the carried rows over.</summary>
    public void TakeOverCarriedRows()
    {
        live.Flush();
        ShowCarriedRows();
    }

    /// <summary>
    /// A row or typing signal the feed put in the browser can wait for the circuit (<see cref="ChatOptions.LiveRowsCircuitWait"/>):
    /// the browser shows it already, and keeps the room's typing line itself (<see cref="FeedTypingRoom"/>), so a row
    /// need not reach the circuit at once to clear its author's "is typing…".
    /// </summary>
    private bool CanWait(RoomEvent roomEvent) => RowFeed is { } feed && roomEvent switch
    {
        MessagePosted { Message: var message } => feed.HasCarried(message),
        UserTyping typing => feed.CanCarry(typing),
        _ => false,
    };

    /// <summary>
    /// The open room, while the browser keeps its typing line from the attached row feed (the list then renders the line
    /// empty, for the script); null while this circuit renders it. Who is typing there changes nothing this circuit
    /// renders (its typing state is kept, for when the feed ends). In a room of 100, every message made every reader's
    /// circuit render "is typing…" and clear it again (bench/FINDINGS.md, eighteenth round).
    /// </summary>
    public int? FeedTypingRoom => RowFeed is { } feed && Room is { } room && feed.ShowsTyping(room.Id) ? room.Id : null;

    /// <summary>What a change renders, without the typing line when the browser keeps it.</summary>
    private OpenRoom.Change Rendered(OpenRoom.Change change) => FeedTypingRoom is null ? change : change & ~OpenRoom.Change.Typing;

    /// <summary>
    /// Where a tab starts counting carried rows towards its next render: tabs that started together would otherwise all
    /// render on the same row, so each starts at random in the window (tests fix it).
    /// </summary>
    internal Func<int, int> TrimStart { get; set; } = Random.Shared.Next;

    /// <summary>
    /// A carried row needs no render: the list stops before it. Every <see cref="RoomTimeline.LiveWindow"/> carried rows
    /// the list renders once without taking them over, to let go of the rows the live window dropped (the browser drops
    /// its carried rows from before the window too). Any other new row shown in the room takes the carried ones over.
    /// </summary>
    private OpenRoom.Change WithoutCarriedRow(OpenRoom.Change change, ChatMessage message, out bool carried)
    {
        // Asked for every row (the feed forgets a row once asked), shown or not.
        carried = RowFeed?.Carried(message) == true;
        if (!change.HasFlag(OpenRoom.Change.Messages) || Room?.Id != message.RoomId)
        {
            return change;
        }
        // Rows after NativeThrough are all carried ones: a carried row older than a row the list shows already (the
        // reader's own, just sent, arrived first) is the list's too.
        if (!carried || (NativeThrough is null && message.Sequence < Room.Timeline.LastSequence))
        {
            ShowCarriedRows();
            return change;
        }
        if (NativeThrough is null)
        {
            carriedAfter = (Room.Timeline, Room.Timeline.Loads, message.Sequence - 1);
        }
        if (++carriedSinceRender < RoomTimeline.LiveWindow)
        {
            return change & ~OpenRoom.Change.Messages;
        }
        carriedSinceRender = 0;
        return change;
    }

    /// <summary>An edit, deletion, reaction, pin or thread reply on a carried row: the list takes the carried rows over to show it.</summary>
    private void TakeOverChangedRow(RoomEvent roomEvent)
    {
        if (NativeThrough is not { } through || Room?.Id != roomEvent.RoomId)
        {
            return;
        }
        var sequence = roomEvent switch
        {
            MessageEdited edited => edited.Message.Sequence,
            MessageDeleted deleted => deleted.Sequence,
            ReactionsChanged reacted => reacted.Sequence,
            PinChanged pinned => pinned.Sequence,
            ThreadChanged thread => thread.RootSequence,
            _ => 0,
        };
        if (sequence > through)
        {
            ShowCarriedRows();
        }
    }
}
