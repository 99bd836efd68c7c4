using System.Text.Json.Serialization;
using System.Threading.Channels;
using ChatApp.Chat;
using ChatApp.Security;
using Microsoft.Extensions.Options;

namespace ChatApp.Cluster;

/// <summary>What one server tells the others over the Redis channel.</summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(RoomEventRelayed), "room")]
[JsonDerivedType(typeof(UserEventRelayed), "user")]
[JsonDerivedType(typeof(MembershipRelayed), "membership")]
[JsonDerivedType(typeof(AdminRoleRelayed), "admin")]
[JsonDerivedType(typeof(RevocationRelayed), "revoke")]
[JsonDerivedType(typeof(PresenceReported), "presence")]
[JsonDerivedType(typeof(CircuitsReported), "circuits")]
[JsonDerivedType(typeof(StateRequested), "state?")]
[JsonDerivedType(typeof(CatchUpRequested), "catch-up")]
[JsonDerivedType(typeof(ServerHeartbeat), "heartbeat")]
[JsonDerivedType(typeof(ServerLeaving), "leaving")]
public abstract record ClusterMessage;

/// <summary>A room event; each server delivers it to its own circuits after its own per-recipient check.</summary>
public sealed record RoomEventRelayed(RoomEvent Event) : ClusterMessage;

public sealed record UserEventRelayed(UserEvent Event) : ClusterMessage;

/// <summary>A change to the membership cache, which every server's delivery check reads.</summary>
public sealed record MembershipRelayed(MembershipChange Change) : ClusterMessage;

public sealed record AdminRoleRelayed(string UserId, bool IsAdmin) : ClusterMessage;

/// <summary>Sign-out, "end session", lock, delete: the matching circuits on every server end.</summary>
public sealed record RevocationRelayed(CircuitRevocation Revocation) : ClusterMessage;

/// <summary>The sender's own view of some users (a change, or all of them when asked).</summary>
public sealed record PresenceReported(Dictionary<string, PresenceStatus> Statuses) : ClusterMessage;

/// <summary>
/// The sender's circuits that opened or changed and those that closed (the live-circuit registry); or, when
/// <see cref="Complete"/>, all of them, replacing what was known.
/// </summary>
public sealed record CircuitsReported(List<CircuitEntry> Opened, List<string> Closed, bool Complete = false) : ClusterMessage;

/// <summary>A server started or came back: everyone reports their users' statuses and their circuits.</summary>
public sealed record StateRequested : ClusterMessage;

/// <summary>A server was cut off from the others for a while: everyone's circuits reload what they show.</summary>
public sealed record CatchUpRequested : ClusterMessage;

/// <summary>Sent every few seconds; a server silent for longer than the timeout is taken as gone.</summary>
public sealed record ServerHeartbeat : ClusterMessage;

/// <summary>A server shutting down cleanly: its users are offline there at once.</summary>
public sealed record ServerLeaving : ClusterMessage;

/// <summary>
/// A message, the server instance that sent it (a server ignores its own), that server's sequence number and the
/// time it was sealed: all inside the seal, so a copy replayed from Redis is recognised (<see cref="ClusterReplayGuard"/>).
/// </summary>
public sealed record ClusterEnvelope(string From, long Sequence, DateTimeOffset SentAt, ClusterMessage Message);

/// <summary>
/// The queue of messages for the other servers, in the order this server produced them; the backplane's one
/// pump sends them, so a membership change always reaches the others before the events that follow it.
/// </summary>
public sealed class ClusterOutbox
{
    private readonly Channel<ClusterMessage> queue;
    private int dropped;

    // Bounded so a stalled connection cannot grow memory without limit; what is dropped is counted, and the
    // backplane makes the others catch up from the database.
    public ClusterOutbox(IOptions<RedisOptions> options) =>
        queue = Channel.CreateBounded<ClusterMessage>(
            new BoundedChannelOptions(options.Value.OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref dropped));

    public void Send(ClusterMessage message) => queue.Writer.TryWrite(message);

    /// <summary>How many messages were dropped because the queue was full since the last call.</summary>
    internal int TakeDropped() => Interlocked.Exchange(ref dropped, 0);

    internal ChannelReader<ClusterMessage> Reader => queue.Reader;

    /// <summary>Messages waiting to be sent.</summary>
    public int Depth => queue.Reader.Count;

    internal void Complete() => queue.Writer.TryComplete();
}

/// <summary>
/// The notifier with Redis configured: events are delivered to this server's circuits at once, and relayed
/// to the other servers, which deliver them to theirs after their own membership check.
/// </summary>
public sealed class RedisChatNotifier(InMemoryChatNotifier local, ClusterOutbox outbox, LiveCircuits circuits) : IChatNotifier
{
    public IDisposable SubscribeToRoom(int roomId, IChatRecipient recipient, Func<RoomEvent, Task> handler) =>
        local.SubscribeToRoom(roomId, recipient, handler);

    public IDisposable SubscribeToUser(IChatRecipient recipient, Func<UserEvent, Task> handler) =>
        local.SubscribeToUser(recipient, handler);

    public void Publish(RoomEvent roomEvent)
    {
        local.Publish(roomEvent);
        // Every server derives presence itself from the statuses all servers report, so it is not relayed.
        if (roomEvent is not PresenceChanged)
        {
            outbox.Send(new RoomEventRelayed(roomEvent));
        }
    }

    public void Publish(UserEvent userEvent)
    {
        local.Publish(userEvent);
        // Only to where the user has tabs (the cluster-wide registry says). Every reader's read marker moves on
        // every message, so relaying these to every server cost more than the messages themselves. A tab that
        // opens elsewhere meanwhile loads this state from the database after subscribing.
        if (circuits.HasRemoteCircuits(userEvent.UserId))
        {
            outbox.Send(new UserEventRelayed(userEvent));
        }
    }
}
