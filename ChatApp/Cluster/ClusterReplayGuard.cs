using System.Collections.Concurrent;

namespace ChatApp.Cluster;

/// <summary>What a receiver makes of a sealed cluster message's sender, sequence and time.</summary>
public enum ClusterArrival
{
    /// <summary>The next one from its sender (or the first heard from it).</summary>
    InOrder,

    /// <summary>Newer than the last one from its sender, but some in between never arrived: resync.</summary>
    AfterGap,

    /// <summary>Its sequence is not above the last one seen from its sender: a copy, refused.</summary>
    Replayed,

    /// <summary>Sealed longer ago (or further ahead) than the allowed age: refused.</summary>
    Stale,
}

/// <summary>
/// Refuses replays of sealed cluster messages. Each server instance numbers what it sends from 1 (and gets a new
/// id at every start); a receiver keeps the highest number seen per sender and refuses anything not above it, and
/// refuses anything sealed longer ago than <c>Chat:Redis:MessageMaxAge</c> (which covers senders it never heard).
/// Called from the one ordered receive loop.
/// </summary>
public sealed class ClusterReplayGuard(TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Sender> senders = new();

    public ClusterArrival Check(string from, long sequence, DateTimeOffset sentAt, DateTimeOffset now)
    {
        if (sentAt < now - maxAge || sentAt > now + maxAge)
        {
            return ClusterArrival.Stale;
        }
        var known = senders.TryGetValue(from, out var last);
        if (known && sequence <= last!.Sequence)
        {
            return ClusterArrival.Replayed;
        }
        senders[from] = new Sender(sequence, now);
        return known && sequence > last!.Sequence + 1 ? ClusterArrival.AfterGap : ClusterArrival.InOrder;
    }

    /// <summary>Forgets senders silent for twice the allowed age: whatever they sent is refused as stale by then.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (from, sender) in senders)
        {
            if (now - sender.HeardAt > maxAge * 2)
            {
                senders.TryRemove(from, out _);
            }
        }
    }

    private sealed record Sender(long Sequence, DateTimeOffset HeardAt);
}
