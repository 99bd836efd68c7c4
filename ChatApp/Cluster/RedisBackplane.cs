using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatApp.Cluster;

/// <summary>
/// Joins this server to the others through one Redis pub/sub channel: sends what the <see cref="ClusterOutbox"/>
/// holds, in order, and applies what the others send — room and user events (delivered to this server's
/// circuits after this server's membership check), membership and role changes, revocations and presence.
/// When Redis goes away, this server keeps serving its own users; when it is back, every server reloads its
/// membership cache and every circuit catches up from the database.
/// </summary>
public sealed partial class RedisBackplane : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ClusterOutbox outbox;
    private readonly IConnectionMultiplexer redis;
    private readonly InMemoryChatNotifier local;
    private readonly RoomMembership membership;
    private readonly AdminRoster admins;
    private readonly LiveCircuits circuits;
    private readonly PresenceTracker presence;
    private readonly TimeProvider time;
    private readonly ILogger<RedisBackplane> logger;
    private readonly IDataProtector protector;
    private readonly RedisOptions options;
    private readonly RedisChannel channel;
    private readonly ConcurrentDictionary<string, long> lastHeard = new();
    private readonly ClusterReplayGuard replayGuard;
    private ChannelMessageQueue? subscription;
    private long sequence;
    private Task? pump;
    private ITimer? heartbeat;
    private readonly ChatApp.Chat.ChatMetrics metrics;
    private volatile bool missedSends;
    private int outage;
    private int disposed;

    public RedisBackplane(ClusterOutbox outbox, IConnectionMultiplexer redis, InMemoryChatNotifier local, RoomMembership membership, AdminRoster admins,
        LiveCircuits circuits, PresenceTracker presence, TimeProvider time, IDataProtectionProvider dataProtection, IOptions<RedisOptions> options,
        ChatApp.Chat.ChatMetrics metrics, ILogger<RedisBackplane> logger)
    {
        this.metrics = metrics;
        metrics.ObserveOutboxDepth(() => outbox.Depth);
        protector = dataProtection.CreateProtector("ChatApp.Cluster.v1");
        this.outbox = outbox;
        this.redis = redis;
        this.local = local;
        this.membership = membership;
        this.admins = admins;
        this.circuits = circuits;
        this.presence = presence;
        this.time = time;
        this.logger = logger;
        this.options = options.Value;
        channel = RedisChannel.Literal($"{this.options.Prefix}:cluster");
        replayGuard = new ClusterReplayGuard(this.options.MessageMaxAge);
    }

    /// <summary>This server's name on the channel, new at every start.</summary>
    public string ServerId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>True while this server hears the others.</summary>
    public bool IsConnected => subscription is not null && redis.GetSubscriber().IsConnected(channel);

    /// <summary>Other servers heard from within the heartbeat timeout.</summary>
    public IReadOnlyCollection<string> Peers => [.. lastHeard.Keys];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        membership.Changed += change => outbox.Send(new MembershipRelayed(change));
        admins.Changed += (userId, isAdmin) => outbox.Send(new AdminRoleRelayed(userId, isAdmin));
        circuits.Revoking += revocation => outbox.Send(new RevocationRelayed(revocation));
        presence.LocalStatusChanged += (userId, status) => outbox.Send(new PresenceReported(new() { [userId] = status }));
        circuits.Reported += (opened, closed) => outbox.Send(new CircuitsReported([.. opened], [.. closed]));

        // Relayed changes are applied to a loaded cache (a partial one would answer "not a member" meanwhile).
        await membership.EnsureLoadedAsync(cancellationToken);
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            while (!redis.IsConnected)
            {
                await Task.Delay(50, startTimeout.Token);
            }
            // The library's ordered queue: messages are handled one at a time in the order Redis delivered them.
            subscription = await redis.GetSubscriber().SubscribeAsync(channel).WaitAsync(startTimeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Redis at {Endpoints} (Chat:Redis:Configuration) did not answer within 15 s.");
        }
        subscription.OnMessage(message => ReceiveAsync(message.Message));
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        pump = PumpAsync();
        outbox.Send(new StateRequested());
        heartbeat = time.CreateTimer(_ => Beat(), null, TimeSpan.Zero, options.HeartbeatInterval);
        LogJoined(ServerId, Endpoints, channel.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        heartbeat?.Dispose();
        outbox.Send(new ServerLeaving());
        outbox.Complete();
        if (pump is not null)
        {
            await pump.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Sends the outbox in order. During an outage messages are dropped; the others catch up later.</summary>
    private async Task PumpAsync()
    {
        await foreach (var message in outbox.Reader.ReadAllAsync())
        {
            if (!IsConnected)
            {
                missedSends = true;
                continue;
            }
            try
            {
                // Numbered only when sent: a receiver that sees a number skipped knows it missed something and resyncs.
                var envelope = new ClusterEnvelope(ServerId, ++sequence, time.GetUtcNow(), message);
                var payload = protector.Protect(JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
                // Not awaited: publishes issued one after another go out in that order, pipelined.
                _ = redis.GetSubscriber().PublishAsync(channel, payload).ContinueWith(failed => missedSends = true, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            catch (Exception exception)
            {
                missedSends = true;
                LogSendFailed(exception.Message);
            }
        }
    }

    private async Task ReceiveAsync(RedisValue value)
    {
        byte[] payload = value!;
        byte[] json;
        try
        {
            json = protector.Unprotect(payload);
        }
        catch (CryptographicException)
        {
            // Not sealed with this cluster's key ring: forged by someone with access to Redis, or from another cluster.
            LogRejected(payload.Length);
            return;
        }
        try
        {
            var envelope = JsonSerializer.Deserialize<ClusterEnvelope>(json, Json);
            if (envelope is null || envelope.From == ServerId)
            {
                return;
            }
            switch (replayGuard.Check(envelope.From, envelope.Sequence, envelope.SentAt, time.GetUtcNow()))
            {
                case ClusterArrival.Replayed or ClusterArrival.Stale:
                    // A genuine message copied back into Redis: applying it again could restore a removed member or admin.
                    LogReplayRefused(envelope.From, envelope.Sequence, envelope.SentAt);
                    return;
                case ClusterArrival.AfterGap:
                    LogGap(envelope.From, envelope.Sequence);
                    await ResyncAsync();
                    outbox.Send(new StateRequested());
                    break;
            }
            lastHeard[envelope.From] = time.GetTimestamp();
            metrics.BackplaneMessageReceived(envelope.SentAt);
            await ApplyAsync(envelope.From, envelope.Message);
        }
        catch (Exception exception)
        {
            // One unreadable message (another version of ChatApp?) must not stop the channel.
            LogUnreadable(exception);
        }
    }

    private async Task ApplyAsync(string from, ClusterMessage message)
    {
        switch (message)
        {
            case RoomEventRelayed relayed:
                local.Publish(relayed.Event);
                break;
            case UserEventRelayed relayed:
                local.Publish(relayed.Event);
                break;
            case MembershipRelayed relayed:
                membership.Apply(relayed.Change);
                break;
            case AdminRoleRelayed relayed:
                admins.Apply(relayed.UserId, relayed.IsAdmin);
                break;
            case RevocationRelayed relayed:
                circuits.Apply(relayed.Revocation);
                break;
            case PresenceReported reported:
                foreach (var (userId, status) in reported.Statuses)
                {
                    presence.ApplyRemote(from, userId, status);
                }
                break;
            case CircuitsReported reported:
                if (reported.Complete)
                {
                    circuits.ForgetServer(from);
                }
                circuits.ApplyRemote(from, reported.Opened, reported.Closed);
                break;
            case StateRequested:
                ReportState();
                break;
            case CatchUpRequested:
                // The sender lost messages (an outage, a failed send, a full outbox): membership and roles may be stale too.
                await ResyncAsync();
                break;
            case ServerLeaving:
                lastHeard.TryRemove(from, out _);
                Forget(from);
                break;
        }
    }

    /// <summary>Reads from the database what relayed messages would have told: memberships, admins, and every tab's view.</summary>
    private async Task ResyncAsync()
    {
        await membership.ReloadAsync();
        await admins.ReloadAsync();
        local.ResyncAll();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs failure)
    {
        // Once per outage, not once per connection or retry.
        if (Interlocked.Exchange(ref outage, 1) == 0)
        {
            LogUnavailable(Endpoints, failure.FailureType.ToString(), failure.Exception?.Message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs restored)
    {
        if (Interlocked.Exchange(ref outage, 0) == 1)
        {
            _ = CaughtUpAsync();
        }
    }

    /// <summary>Back after an outage: whatever was relayed meanwhile is lost, so read it again from the database.</summary>
    private async Task CaughtUpAsync()
    {
        try
        {
            // The library subscribes again on its own; wait for that so nothing sent after the catch-up is missed.
            var deadline = time.GetTimestamp();
            while (!IsConnected && time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
            LogBack(Endpoints);
            await ResyncAsync();
            // The others missed what this server sent meanwhile (or, if only this server was cut off, they did not
            // notice): they catch up too. And statuses and circuits reported meanwhile are asked for again.
            outbox.Send(new CatchUpRequested());
            outbox.Send(new StateRequested());
            ReportState();
            missedSends = false;
        }
        catch (Exception exception)
        {
            LogCatchUpFailed(exception);
        }
    }

    private void ReportState()
    {
        outbox.Send(new PresenceReported(new(presence.LocalStatuses())));
        outbox.Send(new CircuitsReported([.. circuits.Snapshot()], [], Complete: true));
    }

    private void Forget(string server)
    {
        presence.ForgetServer(server);
        circuits.ForgetServer(server);
    }

    private void Beat()
    {
        if (outbox.TakeDropped() is > 0 and var dropped)
        {
            // Never silent: the others are told to catch up from the database as soon as the channel is up.
            LogOutboxOverflow(dropped, options.OutboxCapacity);
            missedSends = true;
        }
        replayGuard.Prune(time.GetUtcNow());
        if (missedSends && IsConnected)
        {
            // A send failed while the channel stayed up (a broken command connection): make the others catch up.
            missedSends = false;
            outbox.Send(new CatchUpRequested());
        }
        outbox.Send(new ServerHeartbeat());
        var timeout = options.HeartbeatInterval * 3;
        foreach (var (server, heard) in lastHeard)
        {
            if (time.GetElapsedTime(heard) > timeout && lastHeard.TryRemove(server, out _))
            {
                LogServerGone(server, timeout.TotalSeconds);
                Forget(server);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes it twice: as itself and as the hosted service it also is.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        heartbeat?.Dispose();
        outbox.Complete();
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        if (subscription is not null)
        {
            // The connection itself belongs to the container, which closes it after this.
            await subscription.UnsubscribeAsync().ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private string Endpoints => string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster as {ServerId} through Redis at {Endpoint}, channel {Channel}")]
    private partial void LogJoined(string serverId, string endpoint, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis backplane at {Endpoint} unavailable ({FailureType}: {Reason}); serving local users only until it is back")]
    private partial void LogUnavailable(string endpoint, string failureType, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis backplane at {Endpoint} is back; catching up")]
    private partial void LogBack(string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catching up after a Redis outage failed")]
    private partial void LogCatchUpFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a replayed cluster message from {ServerId} (sequence {Sequence}, sealed at {SentAt:O})")]
    private partial void LogReplayRefused(string serverId, long sequence, DateTimeOffset sentAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed cluster messages from {ServerId} before sequence {Sequence}; reloading from the database")]
    private partial void LogGap(string serverId, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "The cluster outbox was full (Chat:Redis:OutboxCapacity = {Capacity}): {Dropped} messages dropped; the other servers are told to catch up")]
    private partial void LogOutboxOverflow(int dropped, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send to the cluster: {Reason}")]
    private partial void LogSendFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An unreadable cluster message was ignored")]
    private partial void LogUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a cluster message of {Length} bytes not protected with this cluster's key ring")]
    private partial void LogRejected(int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} was not heard for {Seconds} s; its users count as offline there")]
    private partial void LogServerGone(string serverId, double seconds);
}
