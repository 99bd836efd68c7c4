using System.Collections.Concurrent;

namespace ChatApp.Security;

/// <summary>A live circuit (one open tab) as the registry and the admin console see it.</summary>
public sealed class LiveCircuit(CircuitSession session, string? sessionId, string? ipAddress, string? userAgent, DateTime connectedSince)
{
    public CircuitSession Session { get; } = session;

    public string CircuitId => Session.CircuitId;

    public string UserId => Session.UserId;

    /// <summary>Hash of the sign-in session the circuit was opened with.</summary>
    public string? SessionId { get; } = sessionId;

    public string? IpAddress { get; } = ipAddress;

    public string? UserAgent { get; } = userAgent;

    public DateTime ConnectedSince { get; } = connectedSince;

    public bool Connected { get; set; } = true;

    public CircuitEntry ToEntry() => new(CircuitId, UserId, SessionId, IpAddress, UserAgent, ConnectedSince, Connected && !Session.IsRevoked, Session.CurrentRoom);
}

/// <summary>A live circuit as the registry shares it with the other servers of a cluster.</summary>
public sealed record CircuitEntry(string CircuitId, string UserId, string? SessionId, string? IpAddress, string? UserAgent,
    DateTime ConnectedSince, bool Connected, string? CurrentRoom = null, string? Server = null);

/// <summary>
/// Every live circuit by user and by sign-in session, so that revoking access reaches the open tabs at once
/// instead of waiting for them to reconnect.
/// </summary>
public sealed class LiveCircuits
{
    private readonly ILogger<LiveCircuits> logger;
    private readonly ChatApp.Chat.ChatMetrics? metrics;

    public LiveCircuits(ILogger<LiveCircuits> logger, ChatApp.Chat.ChatMetrics? metrics = null)
    {
        this.logger = logger;
        this.metrics = metrics;
        metrics?.ObserveSignedInPeople(() => circuits.Values.Select(c => c.UserId).Distinct().LongCount());
    }

    private readonly ConcurrentDictionary<string, LiveCircuit> circuits = new();
    // The other servers' circuits by server, as they reported them (empty without a backplane).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, CircuitEntry>> remote = new();
    // How many circuits each user has on other servers, for a lookup per event (changes are rare, reads are not).
    private readonly ConcurrentDictionary<string, int> remoteByUser = new();
    private readonly Lock remoteGate = new();

    public void Add(LiveCircuit circuit)
    {
        if (circuits.TryAdd(circuit.CircuitId, circuit))
        {
            metrics?.TabOpened();
        }
        else
        {
            circuits[circuit.CircuitId] = circuit;
        }
        Reported?.Invoke([circuit.ToEntry()], []);
    }

    public void Remove(string circuitId)
    {
        if (circuits.TryRemove(circuitId, out _))
        {
            metrics?.TabClosed();
            Reported?.Invoke([], [circuitId]);
        }
    }

    /// <summary>The circuit's connection went down or came back (a tab reconnecting after a network blip).</summary>
    public void SetConnected(LiveCircuit circuit, bool connected)
    {
        circuit.Connected = connected;
        Reported?.Invoke([circuit.ToEntry()], []);
    }

    /// <summary>This server's circuits.</summary>
    public IReadOnlyList<LiveCircuit> All => [.. circuits.Values];

    /// <summary>The other servers' circuits, as last reported.</summary>
    public IReadOnlyList<CircuitEntry> Remote => [.. remote.Values.SelectMany(server => server.Values)];

    /// <summary>The user's live circuits on every server (the cap on tabs counts them all).</summary>
    public int CountForUser(string userId) =>
        circuits.Values.Count(c => c.UserId == userId && !c.Session.IsRevoked) + remoteByUser.GetValueOrDefault(userId);

    /// <summary>The user's connected circuits on every server (a disconnected tab may come back, so it is not counted).</summary>
    public int CountConnected(string userId) =>
        circuits.Values.Count(c => c.UserId == userId && c.Connected && !c.Session.IsRevoked) + Remote.Count(c => c.UserId == userId && c.Connected);

    public IReadOnlyList<LiveCircuit> ForUser(string userId) => [.. circuits.Values.Where(c => c.UserId == userId)];

    /// <summary>Open tabs per sign-in session of the user, on every server.</summary>
    public IReadOnlyDictionary<string, int> TabsBySession(string userId) =>
        circuits.Values.Where(c => c.UserId == userId && !c.Session.IsRevoked).Select(c => c.SessionId)
            .Concat(Remote.Where(c => c.UserId == userId).Select(c => c.SessionId))
            .GroupBy(sessionId => sessionId ?? "")
            .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Raised when this server's circuits open, change or close (opened/changed entries, closed ids).</summary>
    public event Action<IReadOnlyList<CircuitEntry>, IReadOnlyList<string>>? Reported;

    /// <summary>Everything this server has, for a server that joined or came back.</summary>
    public IReadOnlyList<CircuitEntry> Snapshot() => [.. circuits.Values.Select(c => c.ToEntry())];

    /// <summary>What another server reported about its circuits.</summary>
    public void ApplyRemote(string serverId, IEnumerable<CircuitEntry> opened, IEnumerable<string> closed)
    {
        lock (remoteGate)
        {
            var entries = remote.GetOrAdd(serverId, _ => new());
            foreach (var entry in opened)
            {
                if (entries.TryGetValue(entry.CircuitId, out var previous))
                {
                    CountRemote(previous.UserId, -1);
                }
                entries[entry.CircuitId] = entry with { Server = serverId };
                CountRemote(entry.UserId, +1);
            }
            foreach (var circuitId in closed)
            {
                if (entries.TryRemove(circuitId, out var gone))
                {
                    CountRemote(gone.UserId, -1);
                }
            }
        }
    }

    /// <summary>A server went away: its circuits went with it.</summary>
    public void ForgetServer(string serverId)
    {
        lock (remoteGate)
        {
            if (remote.TryRemove(serverId, out var entries))
            {
                foreach (var entry in entries.Values)
                {
                    CountRemote(entry.UserId, -1);
                }
            }
        }
    }

    /// <summary>Whether the user has a tab on another server (events for that user alone need to go there).</summary>
    public bool HasRemoteCircuits(string userId) => remoteByUser.ContainsKey(userId);

    private void CountRemote(string userId, int change)
    {
        var count = remoteByUser.GetValueOrDefault(userId) + change;
        if (count > 0)
        {
            remoteByUser[userId] = count;
        }
        else
        {
            remoteByUser.TryRemove(userId, out _);
        }
    }

    /// <summary>Ends the circuits opened with one sign-in session.</summary>
    public int RevokeSession(string sessionId) => Request(new CircuitRevocation(SessionId: sessionId));

    /// <summary>Ends every circuit of the user, optionally sparing one session (e.g. "end all other sessions").</summary>
    public int RevokeUser(string userId, string? exceptSessionId = null) => Request(new CircuitRevocation(UserId: userId, ExceptSessionId: exceptSessionId));

    public bool RevokeCircuit(string circuitId) => Request(new CircuitRevocation(CircuitId: circuitId)) > 0;

    /// <summary>
    /// Raised for every revocation asked of this server; the Redis backplane relays it, so the tabs a user has
    /// open on the other servers end too (the returned counts are this server's tabs).
    /// </summary>
    public event Action<CircuitRevocation>? Revoking;

    private int Request(CircuitRevocation revocation)
    {
        var count = Apply(revocation);
        Revoking?.Invoke(revocation);
        return count;
    }

    /// <summary>Ends the matching circuits of this server (asked here or relayed from another server).</summary>
    public int Apply(CircuitRevocation revocation) => revocation switch
    {
        { SessionId: { } sessionId } => Revoke(circuits.Values.Where(c => c.SessionId == sessionId), $"session {sessionId[..Math.Min(8, sessionId.Length)]}"),
        { UserId: { } userId, ExceptSessionId: var except } =>
            Revoke(circuits.Values.Where(c => c.UserId == userId && (except is null || c.SessionId != except)), $"user {userId}"),
        { CircuitId: { } circuitId } when circuits.TryGetValue(circuitId, out var circuit) => Revoke([circuit], $"circuit {circuitId}"),
        _ => 0,
    };

    private int Revoke(IEnumerable<LiveCircuit> targets, string reason)
    {
        var count = 0;
        foreach (var circuit in targets.ToList())
        {
            if (!circuit.Session.IsRevoked)
            {
                circuit.Session.Revoke();
                count++;
            }
        }
        if (count > 0)
        {
            metrics?.TabsRevoked(count);
            logger.LogInformation("Revoked {Count} live circuit(s) for {Reason}", count, reason);
        }
        return count;
    }
}

/// <summary>Which live circuits to end: one sign-in session's, one user's (maybe sparing a session), or one circuit.</summary>
public sealed record CircuitRevocation(string? SessionId = null, string? UserId = null, string? ExceptSessionId = null, string? CircuitId = null);
