using System.Collections.Concurrent;
using System.Diagnostics;
using ChatApp.LoadDriver;

namespace ChatApp.Bench;

/// <summary>
/// The benchmark scenarios; each returns a result object that is written as JSON. With several servers (a
/// cluster behind one Redis), user i signs in on server i mod n, as a load balancer would spread them.
/// </summary>
/// <param name="offerCompression">Tabs offer permessage-deflate as Chromium's do; false repeats runs made before.</param>
public sealed partial class Scenarios(IReadOnlyList<Uri> servers, TextWriter log, Action<SocketsHttpHandler>? connection = null, bool offerCompression = true)
{
    public const string Password = "Bench-Passw0rd!";

    private readonly string runId = Guid.NewGuid().ToString("N")[..6];

    /// <summary>The master process of a proxy in front of the server (BENCH_PROXY=nginx), whose memory S1 adds.</summary>
    public int? ProxyPid { get; init; }

    // The driver's own collection pauses: a paused driver stamps a delivery late just as a paused server delivers it late.
    private static readonly ChatApp.Admin.GcPauseLog DriverPauses = new();

    /// <summary>Signs seeded users first..first+count-1 in through the login form, a few at a time.</summary>
    private async Task<List<BrowserSession>> SignInAsync(int first, int count)
    {
        var sessions = new BrowserSession?[count];
        var next = -1;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var session = await BrowserSession.SignInAsync(servers[(first + i) % servers.Count], Seeder.Email(first + i), Password, connection);
                session.OfferCompression = offerCompression;
                sessions[i] = session;
            }
        }));
        log.WriteLine($"signed in {count} users in {started.Elapsed.TotalSeconds:0.0} s");
        return [.. sessions.Select(s => s!)];
    }

    /// <summary>Opens tabs (circuits), several at a time; returns them in the order asked.</summary>
    private async Task<List<CircuitClient>> OpenTabsAsync(IReadOnlyList<(BrowserSession Session, string Path)> wanted, int parallel = 16)
    {
        var tabs = new CircuitClient?[wanted.Count];
        var next = -1;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < wanted.Count)
            {
                tabs[i] = await wanted[i].Session.OpenTabAsync(wanted[i].Path);
                if ((i + 1) % 500 == 0)
                {
                    log.WriteLine($"  {i + 1} circuits open ({started.Elapsed.TotalSeconds:0} s)");
                }
            }
        }));
        log.WriteLine($"opened {wanted.Count} circuits in {started.Elapsed.TotalSeconds:0.0} s; WebSocket compression offered: {offerCompression}, accepted on {tabs.Count(t => t!.Compressed)}");
        return [.. tabs.Select(t => t!)];
    }

    private static string RoomPath(int user, int roomSize) => $"/chat/{Seeder.RoomName(user / roomSize)}";

    /// <summary>S2: N users in one room, a steady rate of messages; send-to-render latency at every recipient.</summary>
    public async Task<object> FanOutAsync(int users, double messagesPerSecond, TimeSpan duration, TimeSpan warmUp)
    {
        using var probe = new ServerProbe(servers, connection);
        var sessions = await SignInAsync(0, users);
        var tabs = await OpenTabsAsync([.. sessions.Select(s => (s, RoomPath(0, users)))]);
        var (warmUpP99, warmUpSeconds) = await WarmUpAsync(tabs, messagesPerSecond, warmUp, probe);
        var latencies = new ConcurrentBag<double>();
        var delivery = new Delivery(latencies);
        var sendErrors = 0;
        var before = await probe.SampleAsync();
        var batchesBefore = tabs.Sum(t => (long)t.BatchesReceived);
        var rowsBefore = tabs.Sum(t => (long)t.RowsReceived);
        var batchBytesBefore = tabs.Sum(t => t.BatchBytesReceived);
        var driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var startedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var stopSampling = new CancellationTokenSource();
        var timeline = SampleTimelineAsync(probe, before, clock, stopSampling.Token);
        var count = (int)(messagesPerSecond * duration.TotalSeconds);
        var sends = new List<Task>();
        var perMessage = new ConcurrentBag<double>[count];
        for (var m = 0; m < count; m++)
        {
            await WaitUntilAsync(clock, TimeSpan.FromSeconds(m / messagesPerSecond));
            var token = $"f{runId}m{m}z";
            perMessage[m] = [];
            var sent = delivery.Expect(tabs, token, perMessage[m]);
            sends.Add(SendAsync(tabs[m % tabs.Count], $"{token} fan-out message {m}", sent, () => Interlocked.Increment(ref sendErrors)));
        }
        await Task.WhenAll(sends);
        var sendWindow = clock.Elapsed;
        await delivery.DrainAsync(TimeSpan.FromSeconds(30));
        // One window for every rate below: from the first send until the last delivery arrived (or the drain gave up).
        await stopSampling.CancelAsync();
        var serverTimeline = await timeline;
        var after = await probe.SampleAsync(pausesSince: startedUnixMs);
        var window = clock.Elapsed;
        var summary = Stats.Summarize(latencies);
        // Collection pauses over 20 ms in the window, server's and driver's: [seconds into the window, ms, generation].
        double[][] Pauses(IEnumerable<GcPause> pauses) =>
            [.. pauses.Where(p => p.Ms > 20).Select(p => new[] { Math.Round((p.AtUnixMs - startedUnixMs) / 1000.0, 2), Math.Round(p.Ms, 1), p.Generation })];
        var result = new
        {
            scenario = "S2",
            users,
            messagesPerSecond,
            messages = count,
            warmUpSeconds,
            // Start-up, left out of every figure above: the p99 of each warm-up second (tiered compilation's bursts).
            warmUpP99PerSecond = warmUpP99,
            sendSeconds = sendWindow.TotalSeconds,
            durationSeconds = window.TotalSeconds,
            expectedDeliveries = delivery.Expected,
            deliveries = delivery.Received,
            lost = delivery.Expected - delivery.Received,
            sendErrors,
            deliveriesPerSecond = delivery.Received / window.TotalSeconds,
            latency = summary,
            serverCpuPercent = 100 * (after.CpuSeconds - before.CpuSeconds) / window.TotalSeconds,
            // Everything the server did in the window (sends, commits, renders, acknowledgements) per message delivered.
            serverCpuMicrosecondsPerDelivery = 1e6 * (after.CpuSeconds - before.CpuSeconds) / Math.Max(1, delivery.Received),
            // The share of the measured phase the server was paused for garbage collections, and gen1/gen2 counts.
            serverGcPausePercent = 100 * (after.GcPauseTotalMs - before.GcPauseTotalMs) / window.TotalMilliseconds,
            serverGen1Collections = after.Gen1 - before.Gen1,
            serverGen2Collections = after.Gen2 - before.Gen2,
            // The driver has one core too: near 100 % it, not the server, would be what delays renders.
            driverCpuPercent = 100 * (Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore).TotalSeconds / window.TotalSeconds,
            serverAllocatedBytesPerDelivery = (after.TotalAllocatedBytes - before.TotalAllocatedBytes) / (double)Math.Max(1, delivery.Received),
            renderBatches = tabs.Sum(t => (long)t.BatchesReceived) - batchesBefore,
            renderBatchBytesPerDelivery = (tabs.Sum(t => t.BatchBytesReceived) - batchBytesBefore) / (double)Math.Max(1, delivery.Received),
            // Rows that came over the tabs' row feeds (big rooms) instead of in render batches, and the feeds open at the end.
            rowFeedRows = tabs.Sum(t => (long)t.RowsReceived) - rowsBefore,
            rowFeedsOpen = tabs.Count(t => t.RowFeedOpen),
            serverRssBytes = after.RssBytes,
            failedTabs = tabs.Count(t => t.Error is not null),
            serverGcPausesOver20Ms = Pauses(after.GcPauses ?? []),
            driverGcPausesOver20Ms = Pauses(DriverPauses.Since(startedUnixMs).Select(p => new GcPause(p.StartedAtUnixMs, p.Milliseconds, p.Generation, p.Kind))),
            serverTimeline,
            // Each message's fastest, p50, p99 and slowest delivery in ms, in sending order (one every 1/rate s): whether
            // the tail is a few messages that everyone got late (a pause, a burst of other work) or spread over all of
            // them; the fastest is about the send path alone (the sender's circuit, the commit, one delivery).
            perMessage = perMessage.Select(bag => (Fastest: bag.IsEmpty ? 0 : bag.Min(), Summary: Stats.Summarize(bag)))
                .Select(m => m.Summary.Samples == 0 ? null
                    : new[] { Math.Round(m.Fastest, 1), Math.Round(m.Summary.P50Ms, 1), Math.Round(m.Summary.P99Ms, 1), Math.Round(m.Summary.MaxMs, 1) }),
        };
        log.WriteLine($"S2 N={users}: p50 {summary.P50Ms:0.0} ms, p99 {summary.P99Ms:0.0} ms, max {summary.MaxMs:0.0} ms, lost {result.lost}, CPU {result.serverCpuPercent:0}%");
        await CloseAsync(tabs, sessions);
        return result;
    }

    /// <summary>
    /// The server every 250 ms of the window, for what lies under a slow stretch: [seconds into the window, CPU %,
    /// ms paused for collections, ms compiling methods, thread-pool threads, work items queued].
    /// </summary>
    private static async Task<List<double[]>> SampleTimelineAsync(ServerProbe probe, RuntimeSample first, Stopwatch clock, CancellationToken stop)
    {
        var samples = new List<double[]>();
        var (previous, previousAt) = (first, 0.0);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await ticks.WaitForNextTickAsync(stop))
            {
                var sample = await probe.SampleAsync();
                var at = clock.Elapsed.TotalSeconds;
                samples.Add([Math.Round(at, 2), Math.Round(100 * (sample.CpuSeconds - previous.CpuSeconds) / (at - previousAt)),
                    Math.Round(sample.GcPauseTotalMs - previous.GcPauseTotalMs, 1), Math.Round(sample.JitMs - previous.JitMs, 1),
                    sample.ThreadPoolThreads, sample.ThreadPoolPending]);
                (previous, previousAt) = (sample, at);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return samples;
    }

    /// <summary>
    /// The same traffic, not measured, for at least <paramref name="minimum"/> and then until the server has stopped
    /// compiling (under <see cref="QuietJitMs"/> of JIT in the last 5 s; at most <see cref="MaximumWarmUp"/>): a fresh
    /// server compiles its hot paths (tiered JIT) during its first deliveries, which is start-up cost, once per process,
    /// not steady state. Ten seconds were not enough at 1,000 readers (a burst of compiling just after them), and at 100
    /// readers, with a tenth of the calls per second, the compiling went on ~50 s (bench/FINDINGS.md, tenth round).
    /// A server that does not report its JIT time (builds before it did) gets the minimum.
    /// </summary>
    /// <returns>The p99 of each second of the warm-up, in ms, and how long it lasted.</returns>
    private async Task<(double[] P99PerSecond, double Seconds)> WarmUpAsync(IReadOnlyList<CircuitClient> tabs, double messagesPerSecond, TimeSpan minimum, ServerProbe probe)
    {
        var delivery = new Delivery([]);
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>();
        var perSecond = new List<ConcurrentBag<double>>();
        var jitMs = (await probe.SampleAsync()).JitMs;
        var compiling = double.NaN;
        var m = 0;
        for (var second = 1; ; second++)
        {
            var bag = new ConcurrentBag<double>();
            perSecond.Add(bag);
            for (; m < (int)(messagesPerSecond * second); m++)
            {
                await WaitUntilAsync(clock, TimeSpan.FromSeconds(m / messagesPerSecond));
                var token = $"w{runId}m{m}z";
                sends.Add(SendAsync(tabs[m % tabs.Count], $"{token} warm-up", delivery.Expect(tabs, token, bag), () => { }));
            }
            if (second % 5 != 0)
            {
                continue;
            }
            await WaitUntilAsync(clock, TimeSpan.FromSeconds(second));
            var now = (await probe.SampleAsync()).JitMs;
            (compiling, jitMs) = (now - jitMs, now);
            if (second >= minimum.TotalSeconds && (compiling < QuietJitMs || second >= MaximumWarmUp.TotalSeconds))
            {
                break;
            }
        }
        await Task.WhenAll(sends);
        await delivery.DrainAsync(TimeSpan.FromSeconds(30));
        var seconds = perSecond.Count;
        // Whether the server reached a steady state before the measured window: the p99 of each warm-up second.
        double[] p99 = [.. perSecond.Select(s => Math.Round(Stats.Summarize(s).P99Ms, 1)).Select(v => double.IsNaN(v) ? -1 : v)];
        log.WriteLine($"warm-up: {seconds} s, {compiling:0} ms compiling in the last 5 s; {delivery.Received}/{delivery.Expected} delivered, "
            + $"drained {clock.Elapsed.TotalSeconds - seconds:0.0} s after the last send; p99 per second (ms): {string.Join(" ", p99.Select(v => v.ToString("0")))}");
        return (p99, seconds);
    }

    /// <summary>Compiling under this in 5 s (2 % of the core) ends the warm-up: the server's hot paths are compiled.</summary>
    private const double QuietJitMs = 100;

    private static readonly TimeSpan MaximumWarmUp = TimeSpan.FromSeconds(150);

    /// <summary>
    /// S3: rooms of ten users, each user posting about once a minute; users are added a step at a time until
    /// p99 passes 200 ms or errors pass 0.025 %.
    /// </summary>
    public async Task<object> TeamChatAsync(int startUsers, int stepUsers, int maxUsers, TimeSpan stepDuration, int roomSize)
    {
        using var probe = new ServerProbe(servers, connection);
        var sessions = new List<BrowserSession>();
        var tabs = new List<CircuitClient>();
        var steps = new List<TeamStep>();
        for (var target = startUsers; target <= maxUsers; target += stepUsers)
        {
            var added = await SignInAsync(tabs.Count, target - tabs.Count);
            var first = tabs.Count;
            tabs.AddRange(await OpenTabsAsync([.. added.Select((s, i) => (s, RoomPath(first + i, roomSize)))]));
            sessions.AddRange(added);
            var step = await MeasureTeamStepAsync(tabs, roomSize, probe, stepDuration);
            steps.Add(step);
            log.WriteLine($"S3 users={step.Users}: p50 {step.Latency.P50Ms:0.0} ms, p99 {step.Latency.P99Ms:0.0} ms, errors {step.ErrorRate:P3}, CPU {step.ServerCpuPercent:0}%, GC paused {step.GcPausePercent:0.0}% (gen1 {step.Gen1Collections}, gen2 {step.Gen2Collections}, longest pause {step.GcPauseMaxMs:0} ms, {step.GcPausesOver50?.Length ?? 0} over 50 ms); {step.SlowDeliveries} deliveries over {Delivery.SlowMs} ms, {step.SlowOverlappingGcPercent:0}% of them during a pause, {step.SlowTimeInGcPercent:0}% of their time paused; driver's longest pause {step.DriverGcPauseMaxMs:0} ms, {step.SlowOverlappingDriverGcPercent:0}% of the slow ones during one");
            // Stops some way past the target (p99 ≤ 150 ms, no errors: the report's verdict), so a run shows the trend.
            if (step.Latency.P99Ms > 200 || step.ErrorRate > 0.00025)
            {
                break;
            }
        }
        await CloseAsync(tabs, sessions);
        return new { scenario = "S3", roomSize, stepSeconds = stepDuration.TotalSeconds, steps };
    }

    /// <summary>One S3 step. GcPausePercent: the share of the step the server's runtime was paused for garbage
    /// collections (GC.GetTotalPauseDuration); Gen2Collections: full collections during the step. GcPauseMaxMs and
    /// GcPausesOver50: the step's longest pause and those over 50 ms, with generation and kind (the server's GcPauseLog). DriverGcPauseMaxMs and SlowOverlappingDriverGcPercent: the same for
    /// the driver's own pauses. SlowDeliveries: deliveries over
    /// <see cref="Delivery.SlowMs"/>; SlowOverlappingGcPercent: how many of them had a collection pause between their
    /// send and their arrival; SlowTimeInGcPercent: how much of their summed latency was such pauses.</summary>
    public sealed record TeamStep(int Users, int Messages, LatencySummary Latency, long ExpectedDeliveries, long Deliveries, int SendErrors, double ErrorRate, double ServerCpuPercent, long ServerRssBytes, int FailedTabs, string? FirstTabError,
        double GcPausePercent, int Gen1Collections, int Gen2Collections,
        double GcPauseMaxMs = 0, int SlowDeliveries = 0, double SlowOverlappingGcPercent = 0, double SlowTimeInGcPercent = 0,
        GcPause[]? GcPausesOver50 = null, double DriverGcPauseMaxMs = 0, double SlowOverlappingDriverGcPercent = 0);

    private async Task<TeamStep> MeasureTeamStepAsync(IReadOnlyList<CircuitClient> tabs, int roomSize, ServerProbe probe, TimeSpan duration)
    {
        // Everyone posts once a minute, spread evenly: users/60 messages per second, from random users.
        var rate = tabs.Count / 60.0;
        var count = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var latencies = new ConcurrentBag<double>();
        var slow = new ConcurrentBag<(long Sent, long Arrived)>();
        var delivery = new Delivery(latencies, slow);
        var errors = 0;
        var before = await probe.SampleAsync();
        var clock = Stopwatch.StartNew();
        var (startedUnixMs, startedTimestamp) = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Stopwatch.GetTimestamp());
        var sends = new List<Task>();
        var random = new Random(tabs.Count);
        for (var m = 0; m < count; m++)
        {
            await WaitUntilAsync(clock, TimeSpan.FromSeconds(m / rate));
            var sender = random.Next(tabs.Count);
            var room = sender / roomSize;
            var token = $"t{runId}n{tabs.Count}m{m}z";
            var members = Enumerable.Range(room * roomSize, roomSize).Where(i => i < tabs.Count).Select(i => tabs[i]);
            var sent = delivery.Expect(members, token);
            sends.Add(SendAsync(tabs[sender], $"{token} team message", sent, () => Interlocked.Increment(ref errors)));
        }
        await Task.WhenAll(sends);
        await delivery.DrainAsync(TimeSpan.FromSeconds(15));
        var after = await probe.SampleAsync(pausesSince: startedUnixMs);
        var failures = errors + (delivery.Expected - delivery.Received);
        var pauses = after.GcPauses ?? [];
        double ToUnixMs(long timestamp) => startedUnixMs + Stopwatch.GetElapsedTime(startedTimestamp, timestamp).TotalMilliseconds;
        var tail = PausesInTail(slow, pauses, ToUnixMs);
        GcPause[] driverPauses = [.. DriverPauses.Since(startedUnixMs).Select(p => new GcPause(p.StartedAtUnixMs, p.Milliseconds, p.Generation, p.Kind))];
        var driverTail = PausesInTail(slow, driverPauses, ToUnixMs);
        return new TeamStep(tabs.Count, count, Stats.Summarize(latencies), delivery.Expected, delivery.Received, errors,
            failures / (double)Math.Max(1, delivery.Expected + count),
            100 * (after.CpuSeconds - before.CpuSeconds) / clock.Elapsed.TotalSeconds, after.RssBytes,
            tabs.Count(t => t.Error is not null), tabs.FirstOrDefault(t => t.Error is not null)?.Error,
            100 * (after.GcPauseTotalMs - before.GcPauseTotalMs) / clock.Elapsed.TotalMilliseconds, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2,
            pauses.Length == 0 ? 0 : pauses.Max(p => p.Ms), slow.Count, tail.Overlapping, tail.TimeInGc,
            [.. pauses.Where(p => p.Ms > 50)], driverPauses.Length == 0 ? 0 : driverPauses.Max(p => p.Ms), driverTail.Overlapping);
    }

    /// <summary>
    /// For the deliveries slower than <see cref="Delivery.SlowMs"/>: the share that waited through at least one
    /// collection pause (a pause overlapping the time from send to arrival), and the share of their summed latency
    /// that was pause time. Both clocks are this machine's: the server stamps pauses in Unix ms, the driver maps its
    /// Stopwatch timestamps with <paramref name="toUnixMs"/>.
    /// </summary>
    private static (double Overlapping, double TimeInGc) PausesInTail(IReadOnlyCollection<(long Sent, long Arrived)> slow, GcPause[] pauses, Func<long, double> toUnixMs)
    {
        if (slow.Count == 0)
        {
            return (0, 0);
        }
        var (overlapping, waited, paused) = (0, 0.0, 0.0);
        foreach (var (sent, arrived) in slow)
        {
            var (from, to) = (toUnixMs(sent), toUnixMs(arrived));
            var inPauses = pauses.Sum(p => Math.Max(0, Math.Min(to, p.AtUnixMs + p.Ms) - Math.Max(from, p.AtUnixMs)));
            overlapping += inPauses > 0 ? 1 : 0;
            waited += to - from;
            paused += inPauses;
        }
        return (100.0 * overlapping / slow.Count, 100 * paused / waited);
    }

    /// <summary>
    /// S4: every user floods its room (the next send as soon as the previous one was committed); messages committed
    /// per second, measured after a warm-up flood (the server's JIT reaches its optimized code first; not counted).
    /// </summary>
    public async Task<object> ThroughputAsync(int senders, TimeSpan duration, int roomSize, string? databasePath, TimeSpan warmUp)
    {
        using var probe = new ServerProbe(servers, connection);
        var sessions = await SignInAsync(0, senders);
        var tabs = await OpenTabsAsync([.. sessions.Select((s, i) => (s, RoomPath(i, roomSize)))]);
        var committed = 0L;
        var errors = 0L;
        var acks = new ConcurrentBag<double>();
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(tabs.Select((tab, i) => Task.Run(async () =>
        {
            for (var m = 0; warm.Elapsed < warmUp; m++)
            {
                await tab.SendMessageAsync($"warm-up {runId} {i} {m}");
            }
        })));
        log.WriteLine($"warm-up: {warm.Elapsed.TotalSeconds:0} s of flooding");
        var before = await probe.SampleAsync();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(tabs.Select((tab, i) => Task.Run(async () =>
        {
            var m = 0;
            while (clock.Elapsed < duration)
            {
                try
                {
                    // The submit completes only after the message was committed (the composer clears then).
                    var started = Stopwatch.GetTimestamp();
                    await tab.SendMessageAsync($"flood {runId} {i} {m++}");
                    acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref committed);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        var after = await probe.SampleAsync();
        // Acknowledged sends are checked against the rows really in the database.
        long? stored = databasePath is null ? null : await RawSqlite.CountMessagesAsync(databasePath, $"flood {runId} ");
        var result = new
        {
            scenario = "S4",
            senders,
            roomSize,
            warmUpSeconds = warmUp.TotalSeconds,
            durationSeconds = elapsed.TotalSeconds,
            committed,
            stored,
            errors,
            messagesPerSecond = committed / elapsed.TotalSeconds,
            sendToAck = Stats.Summarize(acks),
            serverCpuPercent = 100 * (after.CpuSeconds - before.CpuSeconds) / elapsed.TotalSeconds,
        };
        log.WriteLine($"S4 senders={senders}: {result.messagesPerSecond:0} messages/s acknowledged, {stored} stored, errors {errors}");
        await CloseAsync(tabs, sessions);
        return result;
    }

    private static async Task CloseAsync(IEnumerable<CircuitClient> tabs, IEnumerable<BrowserSession> sessions)
    {
        await Task.WhenAll(tabs.Select(t => t.DisposeAsync().AsTask()));
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }
}
