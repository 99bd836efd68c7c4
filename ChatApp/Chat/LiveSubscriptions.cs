using System.Collections.Concurrent;

namespace ChatApp.Chat;

/// <summary>
/// One tab's live events: the user's own and those of every room in its sidebar. Room events are queued on the
/// publisher's thread (for a new message: the commit that stored it) and handed over in order, in batches, on the
/// tab's own dispatcher, so events that pile up while the tab is busy cost one render. An event the tab can take
/// later (a row its row feed already put in the browser) waits up to <paramref name="waitAtMost"/> for company: in a
/// busy room the tab then takes several rows in one turn of its dispatcher instead of one turn per row.
/// </summary>
public sealed class LiveSubscriptions(IChatNotifier notifier, IChatRecipient recipient, TimeProvider time, TimeSpan waitAtMost) : IDisposable
{
    private readonly Dictionary<int, IDisposable> rooms = [];
    private readonly ConcurrentQueue<RoomEvent> pending = new();
    private IDisposable? user;
    private int scheduled;
    private int waiting;
    private ITimer? waitTimer;
    private Func<Action, Task> dispatch = action => { action(); return Task.CompletedTask; };
    private Action<IReadOnlyList<RoomEvent>> onRoomEvents = _ => { };
    private Func<RoomEvent, bool> canWait = _ => false;

    public bool IsStarted => user is not null;

    /// <summary>
    /// Where in the second half of <c>waitAtMost</c> a wait ends (0: halfway, 1: all of it), drawn afresh for each wait.
    /// Every reader's tab is offered a row at the same moment; had each waited exactly as long, all of them would take
    /// their rows in at once, a burst of a hundred or a thousand dispatcher turns in front of the next message
    /// (bench/FINDINGS.md, eighteenth round). Tests fix it.
    /// </summary>
    internal Func<double> Draw { get; set; } = Random.Shared.NextDouble;

    /// <param name="dispatch">Runs an action on the tab's dispatcher (the component's InvokeAsync).</param>
    /// <param name="canWait">Whether an event may wait (called on the publisher's thread, at publishing).</param>
    public void Start(Func<UserEvent, Task> onUserEvent, Func<Action, Task> dispatch, Action<IReadOnlyList<RoomEvent>> onRoomEvents,
        IEnumerable<int> roomIds, Func<RoomEvent, bool>? canWait = null)
    {
        this.dispatch = dispatch;
        this.onRoomEvents = onRoomEvents;
        this.canWait = canWait ?? this.canWait;
        user = notifier.SubscribeToUser(recipient, onUserEvent);
        SyncRooms(roomIds);
    }

    /// <summary>Subscribes to rooms that joined the sidebar and drops those that left it.</summary>
    public void SyncRooms(IEnumerable<int> roomIds)
    {
        if (user is null)
        {
            return;
        }
        var wanted = roomIds.ToHashSet();
        foreach (var roomId in rooms.Keys.Where(id => !wanted.Contains(id)).ToList())
        {
            rooms.Remove(roomId, out var subscription);
            subscription?.Dispose();
        }
        foreach (var roomId in wanted.Where(id => !rooms.ContainsKey(id)))
        {
            rooms[roomId] = notifier.SubscribeToRoom(roomId, recipient, Enqueue);
        }
    }

    private Task Enqueue(RoomEvent roomEvent)
    {
        pending.Enqueue(roomEvent);
        if (waitAtMost <= TimeSpan.Zero || !canWait(roomEvent))
        {
            Schedule();
        }
        else if (Interlocked.Exchange(ref waiting, 1) == 0)
        {
            // Events behind it keep their order: any event that cannot wait takes the waiting ones with it.
            waitTimer ??= time.CreateTimer(static self => ((LiveSubscriptions)self!).WaitedEnough(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            try
            {
                waitTimer.Change(waitAtMost * (0.5 + Draw() / 2), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // The tab closed while the row was published to it.
            }
        }
        return Task.CompletedTask;
    }

    private void WaitedEnough()
    {
        Volatile.Write(ref waiting, 0);
        if (!pending.IsEmpty)
        {
            Schedule();
        }
    }

    private void Schedule()
    {
        if (Interlocked.Exchange(ref scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.DeliverAsync(), this, preferLocal: false);
        }
    }

    /// <summary>Hands over the events still queued now, waiting ones too; call it on the tab's dispatcher.</summary>
    public void Flush()
    {
        var batch = new List<RoomEvent>();
        while (pending.TryDequeue(out var roomEvent))
        {
            batch.Add(roomEvent);
        }
        if (batch.Count > 0)
        {
            onRoomEvents(batch);
        }
    }

    private async Task DeliverAsync()
    {
        try
        {
            await dispatch(() =>
            {
                Volatile.Write(ref scheduled, 0);
                Flush();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit ended while the events waited.
        }
    }

    public void Dispose()
    {
        user?.Dispose();
        foreach (var subscription in rooms.Values)
        {
            subscription.Dispose();
        }
        rooms.Clear();
        waitTimer?.Dispose();
    }
}
