using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ChatApp.Chat;

/// <summary>Why a send was refused, as the <c>reason</c> tag of <c>chatapp.send.refusals</c>.</summary>
public enum SendRefusal
{
    RateLimit,
    Mute,
    TooLong,
    ReadOnly,
}

/// <summary>What the admin dashboard shows: totals since start (rates come from two snapshots) and current levels.</summary>
public sealed record ChatMetricsSnapshot(
    DateTimeOffset TakenAt,
    long OpenTabs,
    long SignedInPeople,
    long MessagesStored,
    long Deliveries,
    IReadOnlyDictionary<SendRefusal, long> Refusals,
    long Revocations,
    long OutboxDepth,
    double? BackplaneLagMs,
    double? DeliveryLatencyP50Ms,
    double? DeliveryLatencyP95Ms);

/// <summary>
/// The "ChatApp" meter: what the features count, exported by OpenTelemetry when an exporter is chosen and read
/// in-process through <see cref="Snapshot"/>. Depends on no feature, so every feature can report to it.
/// </summary>
public sealed class ChatMetrics
{
    public const string MeterName = "ChatApp";

    // Enough recent deliveries for stable percentiles on the dashboard, small enough to sort on each read.
    private const int LatencySamples = 1024;

    private readonly Counter<long> messagesStored;
    private readonly Counter<long> deliveries;
    private readonly Histogram<double> deliveryLatency;
    private readonly Counter<long> refusals;
    private readonly Counter<long> revocations;
    private readonly Histogram<double> backplaneLag;
    private readonly ConcurrentDictionary<SendRefusal, long> refusalTotals = new();
    private readonly double[] latencyRing = new double[LatencySamples];
    private readonly TimeProvider time;
    private long latencyWritten;
    private long openTabs;
    private long messagesStoredTotal;
    private long deliveriesTotal;
    private long revocationsTotal;
    private long lastBackplaneLagTicks = -1;
    private Func<long> signedInPeople = () => 0;
    private Func<long> outboxDepth = () => 0;

    public ChatMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        this.time = time;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("chatapp.tabs.open", () => Volatile.Read(ref openTabs), "{tab}", "Open tabs (live circuits) on this server");
        meter.CreateObservableUpDownCounter("chatapp.people.signed_in", () => signedInPeople(), "{person}", "People with at least one open tab on this server");
        meter.CreateObservableUpDownCounter("chatapp.backplane.outbox.depth", () => outboxDepth(), "{message}", "Cluster messages waiting to be sent to Redis");
        messagesStored = meter.CreateCounter<long>("chatapp.messages.stored", "{message}", "Messages committed to the database");
        deliveries = meter.CreateCounter<long>("chatapp.deliveries", "{delivery}", "New messages handed to an open tab");
        deliveryLatency = meter.CreateHistogram("chatapp.delivery.latency", "ms",
            "From the sending server accepting a message to the reading tab applying it on its renderer, just before the render (in big rooms: to the tab's row feed queuing the row)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] });
        refusals = meter.CreateCounter<long>("chatapp.send.refusals", "{message}", "Messages refused, by reason");
        revocations = meter.CreateCounter<long>("chatapp.revocations", "{tab}", "Open tabs ended by a revocation (sign-out, lock, role change, end session)");
        backplaneLag = meter.CreateHistogram("chatapp.backplane.lag", "ms", "From another server sealing a cluster message to this one receiving it (clock differences included)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 30000] });
    }

    public void TabOpened() => Interlocked.Increment(ref openTabs);

    public void TabClosed() => Interlocked.Decrement(ref openTabs);

    /// <summary>Set once by the live-circuit registry: counted when read, never kept up to date on every tab.</summary>
    public void ObserveSignedInPeople(Func<long> count) => signedInPeople = count;

    /// <summary>Set by the Redis backplane when a cluster is configured.</summary>
    public void ObserveOutboxDepth(Func<long> depth) => outboxDepth = depth;

    public void MessagesStored(int count)
    {
        Interlocked.Add(ref messagesStoredTotal, count);
        messagesStored.Add(count);
    }

    public void MessageDelivered()
    {
        Interlocked.Increment(ref deliveriesTotal);
        deliveries.Add(1);
    }

    /// <summary>A tab applied a new message created at <paramref name="createdAtUtc"/> (the sending server's clock), or its row feed took the row.</summary>
    public void MessageRendered(DateTime createdAtUtc)
    {
        var milliseconds = Math.Max(0, (time.GetUtcNow().UtcDateTime - createdAtUtc).TotalMilliseconds);
        deliveryLatency.Record(milliseconds);
        latencyRing[(int)((Interlocked.Increment(ref latencyWritten) - 1) % LatencySamples)] = milliseconds;
    }

    public void SendRefused(SendRefusal reason)
    {
        refusalTotals.AddOrUpdate(reason, 1, (_, total) => total + 1);
        refusals.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(reason)));
    }

    public void TabsRevoked(int count)
    {
        Interlocked.Add(ref revocationsTotal, count);
        revocations.Add(count);
    }

    public void BackplaneMessageReceived(DateTimeOffset sentAt)
    {
        var lag = time.GetUtcNow() - sentAt;
        Volatile.Write(ref lastBackplaneLagTicks, Math.Max(0, lag.Ticks));
        backplaneLag.Record(Math.Max(0, lag.TotalMilliseconds));
    }

    public ChatMetricsSnapshot Snapshot()
    {
        var written = Math.Min(Volatile.Read(ref latencyWritten), LatencySamples);
        var samples = latencyRing.AsSpan(0, (int)written).ToArray();
        Array.Sort(samples);
        var lag = Volatile.Read(ref lastBackplaneLagTicks);
        return new ChatMetricsSnapshot(
            time.GetUtcNow(),
            Volatile.Read(ref openTabs),
            signedInPeople(),
            Volatile.Read(ref messagesStoredTotal),
            Volatile.Read(ref deliveriesTotal),
            Enum.GetValues<SendRefusal>().ToDictionary(r => r, r => refusalTotals.GetValueOrDefault(r)),
            Volatile.Read(ref revocationsTotal),
            outboxDepth(),
            lag < 0 ? null : TimeSpan.FromTicks(lag).TotalMilliseconds,
            Percentile(samples, 0.50),
            Percentile(samples, 0.95));
    }

    private static double? Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? null : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];

    private static string ReasonTag(SendRefusal reason) => reason switch
    {
        SendRefusal.RateLimit => "rate_limit",
        SendRefusal.Mute => "mute",
        SendRefusal.TooLong => "too_long",
        _ => "read_only",
    };
}
