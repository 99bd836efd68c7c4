namespace ChatApp.Chat;

/// <summary>
/// The messages one tab shows of one room: a window of consecutive sequences, ordered, without duplicates, that
/// follows live events, fills gaps and pages older or newer history in while keeping its size bounded.
/// </summary>
public sealed class RoomTimeline(IRoomHistory history, string userId, int roomId, ChatOptions options)
{
    /// <summary>
    /// How many messages the window keeps while following the conversation at the bottom. Older ones are dropped
    /// (and come back with "Load older messages"), so a tab left open for days costs the same as a fresh one.
    /// </summary>
    public const int LiveWindow = 100;

    /// <summary>
    /// Following the conversation drops old messages a whole block of sequences at a time (block n holds
    /// n*BlockSize … n*BlockSize+BlockSize−1), so the window keeps between LiveWindow−BlockSize+1 and LiveWindow.
    /// The message list renders one component per block: dropping a whole block removes one component, where dropping
    /// the oldest message shifted every row of the oldest block by one and sent each of them to the browser again —
    /// ~16 KB per message per reader once a busy room's window was full (bench/FINDINGS.md, "Issue 16, second
    /// round", lever 5).
    /// </summary>
    public const int BlockSize = 16;

    private readonly List<ChatMessage> messages = [];

    public int RoomId { get; } = roomId;

    /// <summary>Oldest first; the same list, changed in place, for the whole life of the timeline.</summary>
    public IReadOnlyList<ChatMessage> Messages => messages;

    public bool HasOlder { get; private set; }

    /// <summary>The window does not reach the newest message (the reader scrolled far back or jumped to an old one).</summary>
    public bool HasNewer { get; private set; }

    /// <summary>A page of older or newer history is being read.</summary>
    public bool Loading { get; private set; }

    /// <summary>The message a jump landed on; while set, live messages do not trim the window away from it.</summary>
    public long? Highlight { get; private set; }

    public long LastSequence => messages.Count == 0 ? 0 : messages[^1].Sequence;

    public async Task LoadLatestAsync()
    {
        var latest = await history.GetLatestAsync(userId, RoomId);
        messages.Clear();
        MergeLoaded(latest);
        HasOlder = latest.Count >= options.HistoryPageSize;
        HasNewer = false;
        Highlight = null;
    }

    /// <summary>Reads whatever arrived after the newest message shown (a new circuit, a reconnect); true when something did.</summary>
    public async Task<bool> CatchUpAsync()
    {
        // A window away from the newest messages loads newer ones as the reader scrolls down, not here.
        if (HasNewer)
        {
            return false;
        }
        var missed = await history.GetAfterAsync(userId, RoomId, LastSequence);
        MergeLoaded(missed);
        return missed.Count > 0;
    }

    /// <summary>
    /// The page before the oldest message; <paramref name="beforeAdding"/> runs first when there is one (the page
    /// captures its scroll anchor). The newest messages past Chat:MaxMessagesPerTab are dropped.
    /// </summary>
    public async Task<bool> LoadOlderAsync(Func<Task>? beforeAdding = null)
    {
        if (Loading || !HasOlder || messages.Count == 0)
        {
            return false;
        }
        Loading = true;
        try
        {
            var older = await history.GetBeforeAsync(userId, RoomId, messages[0].Sequence);
            HasOlder = older.Count >= options.HistoryPageSize;
            if (older.Count > 0 && beforeAdding is not null)
            {
                await beforeAdding();
            }
            MergeLoaded(older);
            DropNewestBeyond(options.MaxMessagesPerTab);
            return older.Count > 0;
        }
        finally
        {
            Loading = false;
        }
    }

    /// <summary>The page after the newest message of a window that stops short; the oldest past the cap are dropped.</summary>
    public async Task<bool> LoadNewerAsync()
    {
        if (Loading || !HasNewer || messages.Count == 0)
        {
            return false;
        }
        Loading = true;
        try
        {
            var newer = await history.GetAfterAsync(userId, RoomId, LastSequence, take: options.HistoryPageSize);
            HasNewer = newer.Count >= options.HistoryPageSize;
            MergeLoaded(newer);
            DropOldestBeyond(options.MaxMessagesPerTab);
            return newer.Count > 0;
        }
        finally
        {
            Loading = false;
        }
    }

    /// <summary>Shows a message in context: a page either side of it when it is outside the window, and highlights it.</summary>
    public async Task JumpToAsync(long sequence)
    {
        if (messages.Count == 0 || sequence < messages[0].Sequence || sequence > LastSequence)
        {
            var before = await history.GetBeforeAsync(userId, RoomId, sequence);
            var after = await history.GetAfterAsync(userId, RoomId, sequence - 1, take: options.HistoryPageSize);
            messages.Clear();
            MergeLoaded(before);
            MergeLoaded(after);
            HasOlder = messages.Count > 0 && messages[0].Sequence > 1;
            HasNewer = after.Count >= options.HistoryPageSize;
        }
        Highlight = sequence;
    }

    /// <summary>Back to the newest messages (the "new messages" pill), reloading when the window stopped short of them.</summary>
    public async Task JumpToLatestAsync()
    {
        if (HasNewer)
        {
            await LoadLatestAsync();
        }
    }

    /// <summary>What a live message did to the window.</summary>
    public readonly record struct Posted(bool Shown, bool GapBefore, bool OlderDropped);

    /// <summary>
    /// A message published in the room. Not shown while the window stops short of the newest messages; when
    /// <paramref name="follow"/> (the reader is at the bottom or wrote it) the window keeps at most the newest
    /// <see cref="LiveWindow"/>, dropping whole blocks. <see cref="Posted.OlderDropped"/>: "load older" just appeared.
    /// </summary>
    public Posted Add(ChatMessage message, bool follow)
    {
        if (HasNewer)
        {
            return new Posted(false, false, false);
        }
        var gap = messages.Count > 0 && message.Sequence > LastSequence + 1;
        Merge([message]);
        var dropped = false;
        if (follow && Highlight is null && messages.Count > LiveWindow)
        {
            dropped = !HasOlder;
            DropOldestBlocksBeyond(LiveWindow);
        }
        return new Posted(true, gap, dropped);
    }

    /// <summary>Keeps what the edit does not change (reactions, reply, attachments).</summary>
    public bool Edit(ChatMessage edited) =>
        Replace(edited.Sequence, m => m with { Text = edited.Text, EditedAt = edited.EditedAt });

    /// <summary>A deleted message loses its text, and its pin and saved marks with it.</summary>
    public bool Delete(long sequence, bool byModerator) =>
        Replace(sequence, m => m with { Text = "", IsDeleted = true, RemovedByModerator = byModerator, IsPinned = false, IsSaved = false });

    public bool SetPinned(long sequence, bool pinned) =>
        Replace(sequence, m => m.IsPinned == pinned ? m : m with { IsPinned = pinned });

    public bool SetSaved(long sequence, bool saved) =>
        Replace(sequence, m => m.IsSaved == saved ? m : m with { IsSaved = saved });

    public bool SetReactions(long sequence, IReadOnlyList<ReactionSummary> reactions) =>
        Replace(sequence, m => m with { Reactions = reactions });

    /// <summary>A thread under a message got or lost a reply.</summary>
    public bool SetThread(long sequence, ThreadSummary? summary) =>
        Replace(sequence, m => m with { Thread = summary });

    /// <summary>
    /// Reads the sequences missing before the newest run of consecutive ones (delayed on another server, or lost
    /// while the backplane was down); sequences are dense per room, so a gap is always visible. True when any came.
    /// </summary>
    public async Task<bool> FillGapAsync()
    {
        if (messages.Count < 2)
        {
            return false;
        }
        var first = messages.Count - 1;
        while (first > 0 && messages[first - 1].Sequence == messages[first].Sequence - 1)
        {
            first--;
        }
        if (first == 0)
        {
            return false;
        }
        var missed = await history.GetAfterAsync(userId, RoomId, messages[first - 1].Sequence);
        MergeLoaded(missed);
        return missed.Count > 0;
    }

    /// <summary>Whether a sequence is missing anywhere in the window.</summary>
    public bool HasGap
    {
        get
        {
            for (var i = 1; i < messages.Count; i++)
            {
                if (messages[i].Sequence != messages[i - 1].Sequence + 1)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Adds or replaces messages by sequence, keeping order: no duplicates.</summary>
    public void Merge(IEnumerable<ChatMessage> incoming) => MessageOrder.Merge(messages, incoming);

    /// <summary>
    /// Pages read from the database so far (loads, jumps, catch-up, gap fills), as opposed to live messages: what a load
    /// brings was not carried by a row feed (<see cref="ChatTab.NativeThrough"/>).
    /// </summary>
    public int Loads { get; private set; }

    private void MergeLoaded(IEnumerable<ChatMessage> loaded)
    {
        Loads++;
        Merge(loaded);
    }

    private bool Replace(long sequence, Func<ChatMessage, ChatMessage> change) => MessageOrder.Replace(messages, sequence, change);

    private void DropOldestBeyond(int keep)
    {
        if (messages.Count > keep)
        {
            messages.RemoveRange(0, messages.Count - keep);
            HasOlder = true;
        }
    }

    /// <summary>Drops the oldest messages past <paramref name="keep"/>, and the rest of the last dropped one's block.</summary>
    private void DropOldestBlocksBeyond(int keep)
    {
        if (messages.Count <= keep)
        {
            return;
        }
        var drop = messages.Count - keep;
        var block = messages[drop - 1].Sequence / BlockSize;
        while (drop < messages.Count - 1 && messages[drop].Sequence / BlockSize == block)
        {
            drop++;
        }
        messages.RemoveRange(0, drop);
        HasOlder = true;
    }

    private void DropNewestBeyond(int keep)
    {
        if (messages.Count > keep)
        {
            messages.RemoveRange(keep, messages.Count - keep);
            HasNewer = true;
        }
    }
}
