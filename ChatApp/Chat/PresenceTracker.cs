using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// Online / away / offline per user, from their live circuits: online with a connected circuit that saw input
/// within <see cref="ChatOptions.AwayAfter"/>, away when connected but idle, offline otherwise. Changes are
/// published to the user's rooms only, so only people who share a room learn them.
/// </summary>
public sealed class PresenceTracker : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, CircuitPresence> circuits = new();
    // The same circuits by user: recomputing one user's status looks at their tabs only. (Scanning every circuit
    // made the periodic sweep O(users × circuits): ~0.3 s under the lock with 3,000 tabs, seen as S3's p99.)
    private readonly Dictionary<string, List<CircuitPresence>> circuitsByUser = new();
    // This server's view (from its own tabs), what other servers reported for theirs, and the status shown:
    // the highest of them. Without a backplane there are no other servers and the two views agree.
    private readonly Dictionary<string, PresenceStatus> local = new();
    private readonly Dictionary<string, Dictionary<string, PresenceStatus>> remote = new();
    private readonly Dictionary<string, PresenceStatus> published = new();
    private readonly RoomMembership membership;
    private readonly IChatNotifier notifier;
    private readonly TimeProvider time;
    private readonly TimeSpan awayAfter;
    private readonly ITimer sweeper;

    public PresenceTracker(RoomMembership membership, IChatNotifier notifier, TimeProvider time, IOptions<ChatOptions> options)
    {
        this.membership = membership;
        this.notifier = notifier;
        this.time = time;
        awayAfter = options.Value.AwayAfter;
        var sweepEvery = awayAfter / 10;
        sweeper = time.CreateTimer(_ => Sweep(), null, sweepEvery, sweepEvery);
    }

    private sealed class CircuitPresence(string userId, DateTimeOffset now)
    {
        public string UserId { get; } = userId;

        public bool Connected { get; set; } = true;

        public DateTimeOffset LastActivity { get; set; } = now;
    }

    public void CircuitOpened(string circuitId, string userId)
    {
        lock (gate)
        {
            if (circuits.Remove(circuitId, out var replaced))
            {
                circuitsByUser[replaced.UserId].Remove(replaced);
            }
            var presence = new CircuitPresence(userId, time.GetUtcNow());
            circuits[circuitId] = presence;
            if (!circuitsByUser.TryGetValue(userId, out var tabs))
            {
                circuitsByUser[userId] = tabs = [];
            }
            tabs.Add(presence);
        }
        Recompute(userId);
    }

    public void ConnectionChanged(string circuitId, bool connected) => Touch(circuitId, presence =>
    {
        presence.Connected = connected;
        if (connected)
        {
            presence.LastActivity = time.GetUtcNow();
        }
    });

    /// <summary>The user did something in this tab (typed, clicked, sent).</summary>
    public void Activity(string circuitId) => Touch(circuitId, presence => presence.LastActivity = time.GetUtcNow());

    public void CircuitClosed(string circuitId)
    {
        string? userId = null;
        lock (gate)
        {
            if (circuits.Remove(circuitId, out var presence))
            {
                userId = presence.UserId;
                var tabs = circuitsByUser[userId];
                tabs.Remove(presence);
                if (tabs.Count == 0)
                {
                    circuitsByUser.Remove(userId);
                }
            }
        }
        if (userId is not null)
        {
            Recompute(userId);
        }
    }

    public PresenceStatus GetStatus(string userId)
    {
        lock (gate)
        {
            return published.GetValueOrDefault(userId, PresenceStatus.Offline);
        }
    }

    private void Touch(string circuitId, Action<CircuitPresence> change)
    {
        string userId;
        lock (gate)
        {
            if (!circuits.TryGetValue(circuitId, out var presence))
            {
                return;
            }
            change(presence);
            userId = presence.UserId;
        }
        Recompute(userId);
    }

    /// <summary>Raised when this server's own view of a user changes (the backplane tells the other servers).</summary>
    public event Action<string, PresenceStatus>? LocalStatusChanged;

    /// <summary>This server's own statuses, for a server that joined or came back and asks for everyone's.</summary>
    public IReadOnlyDictionary<string, PresenceStatus> LocalStatuses()
    {
        lock (gate)
        {
            return new Dictionary<string, PresenceStatus>(local);
        }
    }

    /// <summary>Another server's view of one of its users.</summary>
    public void ApplyRemote(string serverId, string userId, PresenceStatus status)
    {
        lock (gate)
        {
            if (!remote.TryGetValue(serverId, out var statuses))
            {
                remote[serverId] = statuses = [];
            }
            if (status == PresenceStatus.Offline)
            {
                statuses.Remove(userId);
            }
            else
            {
                statuses[userId] = status;
            }
        }
        Recompute(userId);
    }

    /// <summary>A server stopped reporting (it went away): its users count as offline there.</summary>
    public void ForgetServer(string serverId)
    {
        List<string> users;
        lock (gate)
        {
            if (!remote.Remove(serverId, out var statuses))
            {
                return;
            }
            users = [.. statuses.Keys];
        }
        foreach (var userId in users)
        {
            Recompute(userId);
        }
    }

    private void Sweep()
    {
        List<string> users;
        lock (gate)
        {
            users = [.. local.Keys];
        }
        foreach (var userId in users)
        {
            Recompute(userId);
        }
    }

    private void Recompute(string userId)
    {
        PresenceStatus shown;
        bool shownChanged;
        lock (gate)
        {
            var now = time.GetUtcNow();
            var tabs = circuitsByUser.GetValueOrDefault(userId) ?? [];
            var mine = !tabs.Any(c => c.Connected) ? PresenceStatus.Offline
                : tabs.Any(c => c.Connected && now - c.LastActivity < awayAfter) ? PresenceStatus.Online
                : PresenceStatus.Away;
            if (SetOrRemove(local, userId, mine))
            {
                // Under the lock, so the other servers hear one user's changes in the order they happened.
                LocalStatusChanged?.Invoke(userId, mine);
            }
            shown = remote.Values.Select(statuses => statuses.GetValueOrDefault(userId)).Append(mine).Max();
            shownChanged = SetOrRemove(published, userId, shown);
        }
        if (shownChanged)
        {
            _ = PublishAsync(userId, shown);
        }
    }

    /// <summary>Stores a status (Offline is stored as absent); true when it changed.</summary>
    private static bool SetOrRemove(Dictionary<string, PresenceStatus> statuses, string userId, PresenceStatus status)
    {
        if (statuses.GetValueOrDefault(userId, PresenceStatus.Offline) == status)
        {
            return false;
        }
        if (status == PresenceStatus.Offline)
        {
            statuses.Remove(userId);
        }
        else
        {
            statuses[userId] = status;
        }
        return true;
    }

    private async Task PublishAsync(string userId, PresenceStatus status)
    {
        foreach (var roomId in await membership.RoomsOfAsync(userId))
        {
            notifier.Publish(new PresenceChanged(roomId, userId, status));
        }
    }

    public void Dispose() => sweeper.Dispose();
}
