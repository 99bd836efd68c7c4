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
}

/// <summary>
/// Every live circuit by user and by sign-in session, so that revoking access reaches the open tabs at once
/// instead of waiting for them to reconnect.
/// </summary>
public sealed class LiveCircuits(ILogger<LiveCircuits> logger)
{
    private readonly ConcurrentDictionary<string, LiveCircuit> circuits = new();

    public void Add(LiveCircuit circuit) => circuits[circuit.CircuitId] = circuit;

    public void Remove(string circuitId) => circuits.TryRemove(circuitId, out _);

    public IReadOnlyList<LiveCircuit> All => [.. circuits.Values];

    public int CountForUser(string userId) => circuits.Values.Count(c => c.UserId == userId && !c.Session.IsRevoked);

    public IReadOnlyList<LiveCircuit> ForUser(string userId) => [.. circuits.Values.Where(c => c.UserId == userId)];

    /// <summary>Ends the circuits opened with one sign-in session.</summary>
    public int RevokeSession(string sessionId) =>
        Revoke(circuits.Values.Where(c => c.SessionId == sessionId), $"session {sessionId[..8]}");

    /// <summary>Ends every circuit of the user, optionally sparing one session (e.g. "end all other sessions").</summary>
    public int RevokeUser(string userId, string? exceptSessionId = null) =>
        Revoke(circuits.Values.Where(c => c.UserId == userId && (exceptSessionId is null || c.SessionId != exceptSessionId)), $"user {userId}");

    public bool RevokeCircuit(string circuitId) =>
        circuits.TryGetValue(circuitId, out var circuit) && Revoke([circuit], $"circuit {circuitId}") > 0;

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
            logger.LogInformation("Revoked {Count} live circuit(s) for {Reason}", count, reason);
        }
        return count;
    }
}
