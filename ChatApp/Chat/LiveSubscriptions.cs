using System.Collections.Concurrent;

namespace ChatApp.Chat;

/// <summary>
/// One tab's live events: the user's own and those of every room in its sidebar. Room events are queued on the
/// publisher's thread (for a new message: the commit that stored it) and handed over in order, in batches, on the
/// tab's own dispatcher, so events that pile up while the tab is busy cost one render.
/// </summary>
public sealed class LiveSubscriptions(IChatNotifier notifier, IChatRecipient recipient) : IDisposable
{
    private readonly Dictionary<int, IDisposable> rooms = [];
    private readonly ConcurrentQueue<RoomEvent> pending = new();
    private IDisposable? user;
    private int scheduled;
    private Func<Action, Task> dispatch = action => { action(); return Task.CompletedTask; };
    private Action<IReadOnlyList<RoomEvent>> onRoomEvents = _ => { };

    public bool IsStarted => user is not null;

    /// <param name="dispatch">Runs an action on the tab's dispatcher (the component's InvokeAsync).</param>
    public void Start(Func<UserEvent, Task> onUserEvent, Func<Action, Task> dispatch, Action<IReadOnlyList<RoomEvent>> onRoomEvents, IEnumerable<int> roomIds)
    {
        this.dispatch = dispatch;
        this.onRoomEvents = onRoomEvents;
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
        if (Interlocked.Exchange(ref scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.DeliverAsync(), this, preferLocal: false);
        }
        return Task.CompletedTask;
    }

    private async Task DeliverAsync()
    {
        try
        {
            await dispatch(() =>
            {
                Volatile.Write(ref scheduled, 0);
                var batch = new List<RoomEvent>();
                while (pending.TryDequeue(out var roomEvent))
                {
                    batch.Add(roomEvent);
                }
                onRoomEvents(batch);
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
    }
}
