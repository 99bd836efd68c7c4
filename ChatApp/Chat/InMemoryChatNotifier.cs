using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace ChatApp.Chat;

/// <summary>
/// In-process fan-out keyed by room and by user. Each room event is checked, per recipient and at delivery,
/// against the membership cache: O(recipients), no database query per recipient.
/// </summary>
public sealed class InMemoryChatNotifier(RoomMembership membership, ChatMetrics metrics, ILogger<InMemoryChatNotifier> logger,
    ILiveRows? liveRows = null) : IChatNotifier
{
    private readonly ConcurrentDictionary<int, ImmutableArray<Subscription<RoomEvent>>> rooms = new();
    private readonly ConcurrentDictionary<string, ImmutableArray<Subscription<UserEvent>>> users = new();

    public IDisposable SubscribeToRoom(int roomId, IChatRecipient recipient, Func<RoomEvent, Task> handler) =>
        Add(rooms, roomId, new Subscription<RoomEvent>(recipient, handler));

    public IDisposable SubscribeToUser(IChatRecipient recipient, Func<UserEvent, Task> handler) =>
        Add(users, recipient.UserId, new Subscription<UserEvent>(recipient, handler));

    public void Publish(RoomEvent roomEvent)
    {
        if (!rooms.TryGetValue(roomEvent.RoomId, out var subscriptions))
        {
            return;
        }
        // In a room with row feeds a new row, or who is typing, can go to a tab's row feed, rendered once, while its
        // circuit only updates its state. Each reader's row goes into its feed as the reader is checked; the circuits
        // hear of the event after the last reader, so that their work does not stand in front of the rows.
        var rows = roomEvent switch
        {
            MessagePosted { Message: { InRoom: true } posted } => liveRows?.Begin(posted),
            UserTyping typing => liveRows?.Begin(typing),
            _ => null,
        };
        var afterRows = rows is null ? null : new List<Subscription<RoomEvent>>(subscriptions.Length);
        foreach (var subscription in subscriptions)
        {
            // Authorized for this reader, now: a member who was removed a moment ago gets nothing.
            if (subscription.Recipient.IsActive && membership.IsMember(roomEvent.RoomId, subscription.Recipient.UserId))
            {
                if (afterRows is null)
                {
                    Deliver(subscription, roomEvent);
                }
                else
                {
                    rows!.Offer(subscription.Recipient);
                    afterRows.Add(subscription);
                }
                if (roomEvent is MessagePosted)
                {
                    metrics.MessageDelivered();
                }
            }
        }
        if (afterRows is not null)
        {
            foreach (var subscription in afterRows)
            {
                Deliver(subscription, roomEvent);
            }
        }
    }

    public void Publish(UserEvent userEvent)
    {
        if (!users.TryGetValue(userEvent.UserId, out var subscriptions))
        {
            return;
        }
        foreach (var subscription in subscriptions)
        {
            if (subscription.Recipient.IsActive)
            {
                Deliver(subscription, userEvent);
            }
        }
    }

    /// <summary>Tells every subscribed circuit to reload what it shows (after a backplane outage).</summary>
    public void ResyncAll()
    {
        foreach (var userId in users.Keys)
        {
            Publish(new Resync(userId));
        }
    }

    /// <summary>Number of live room subscriptions, for diagnostics and tests.</summary>
    public int RoomSubscriptionCount(int roomId) => rooms.TryGetValue(roomId, out var s) ? s.Length : 0;

    private void Deliver<TEvent>(Subscription<TEvent> subscription, TEvent chatEvent)
    {
        // The handler only queues work on its circuit; one slow circuit never delays the others.
        Task task;
        try
        {
            task = subscription.Handler(chatEvent);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "A chat event handler failed for user {UserId}", subscription.Recipient.UserId);
            return;
        }
        if (!task.IsCompleted)
        {
            _ = ObserveAsync(task, subscription.Recipient.UserId);
        }
        else if (task.IsFaulted)
        {
            logger.LogWarning(task.Exception, "A chat event handler failed for user {UserId}", subscription.Recipient.UserId);
        }
    }

    private async Task ObserveAsync(Task task, string userId)
    {
        try
        {
            await task;
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "A chat event handler failed for user {UserId}", userId);
        }
    }

    private static IDisposable Add<TKey, TEvent>(
        ConcurrentDictionary<TKey, ImmutableArray<Subscription<TEvent>>> map, TKey key, Subscription<TEvent> subscription)
        where TKey : notnull
    {
        map.AddOrUpdate(key, _ => [subscription], (_, existing) => existing.Add(subscription));
        return new Unsubscriber(() =>
        {
            while (map.TryGetValue(key, out var existing))
            {
                var remaining = existing.Remove(subscription);
                var done = remaining.IsEmpty
                    ? map.TryRemove(new KeyValuePair<TKey, ImmutableArray<Subscription<TEvent>>>(key, existing))
                    : map.TryUpdate(key, remaining, existing);
                if (done)
                {
                    return;
                }
            }
        });
    }

    // A class, not a record: two subscriptions are never equal, even with the same handler.
    private sealed class Subscription<TEvent>(IChatRecipient recipient, Func<TEvent, Task> handler)
    {
        public IChatRecipient Recipient => recipient;

        public Func<TEvent, Task> Handler => handler;
    }

    private sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
