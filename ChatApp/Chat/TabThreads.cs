namespace ChatApp.Chat;

/// <summary>
/// The threads side of one chat tab: the thread open beside the room (at most one) and the followed threads'
/// unread counts. The tab hands it every room event; it reads the database only when the reader asks for a thread,
/// after a reconnect, and when their rooms change.
/// </summary>
public sealed class TabThreads(ThreadService threads, string meId, Func<Func<Task>, Task> invoke)
{
    public FollowedThreads Followed { get; } = new(meId);

    /// <summary>How far the open thread's read place was sent to the server.</summary>
    private long markedUpTo;

    /// <summary>The thread shown beside the room, or null.</summary>
    public OpenThread? Open { get; private set; }

    /// <summary>The tab is in front: replies in the open thread count as read.</summary>
    public bool Visible { get; set; } = true;

    public async Task LoadAsync() => Followed.Load(await threads.GetFollowStateAsync(meId));

    /// <summary>Opens the thread under a message; false when there is none the reader may see.</summary>
    public async Task<bool> OpenAsync(long rootId, long? highlight = null)
    {
        if (await threads.GetThreadAsync(meId, rootId) is not { } view)
        {
            return false;
        }
        Open = new OpenThread(threads, meId, view) { Highlight = highlight };
        markedUpTo = 0;
        MarkRead();
        return true;
    }

    public void Close() => Open = null;

    /// <summary>Another room opens: a thread of a different room closes.</summary>
    public void CloseUnless(int roomId)
    {
        if (Open?.RoomId != roomId)
        {
            Open = null;
        }
    }

    /// <summary>The reader lost the room: its thread closes.</summary>
    public void CloseIn(int roomId)
    {
        if (Open?.RoomId == roomId)
        {
            Open = null;
        }
    }

    public async Task<bool> SetFollowingAsync(bool following)
    {
        if (Open is null || !(await threads.SetFollowingAsync(meId, Open.RootId, following)).Succeeded)
        {
            return false;
        }
        Followed.SetFollowing(Open.RootId, following);
        return true;
    }

    /// <summary>The reader posted a reply: it shows at once.</summary>
    public void Sent(ChatMessage reply)
    {
        Open?.Sent(reply);
        Followed.Arrived(reply, reading: true);
    }

    /// <summary>Applies a room event; true when the open thread or a count changed.</summary>
    public bool Apply(RoomEvent roomEvent)
    {
        var changed = Open?.Apply(roomEvent) ?? false;
        switch (roomEvent)
        {
            case MessagePosted { Message: { ThreadRootId: { } rootId } reply }:
                var reading = Reading(rootId);
                changed |= Followed.Arrived(reply, reading);
                if (reading && reply.AuthorId != meId)
                {
                    MarkRead();
                }
                break;
            case ThreadChanged summary:
                changed |= Followed.Summarized(summary, Reading(summary.RootId));
                break;
        }
        return changed;
    }

    /// <summary>After a reconnect or a backplane outage: the open thread's missed replies and the counts again.</summary>
    public async Task<bool> CatchUpAsync()
    {
        var caught = Open is not null && await Open.CatchUpAsync();
        await LoadAsync();
        return caught;
    }

    /// <summary>The tab came to the front, or the reader scrolled the thread: what it shows is read.</summary>
    public void MarkRead()
    {
        if (Open is not { } thread || !Visible || !Followed.IsFollowing(thread.RootId))
        {
            return;
        }
        Followed.MarkRead(thread.RootId);
        if (thread.LastSequence > markedUpTo)
        {
            var (roomId, rootId, last) = (thread.RoomId, thread.RootId, markedUpTo = thread.LastSequence);
            _ = invoke(() => threads.MarkReadAsync(meId, roomId, rootId, last));
        }
    }

    private bool Reading(long rootId) => Open?.RootId == rootId && Visible;
}
