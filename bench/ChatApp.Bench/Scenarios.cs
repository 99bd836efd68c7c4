using System.Collections.Concurrent;
using System.Diagnostics;
using ChatApp.LoadDriver;

namespace ChatApp.Bench;

/// <summary>
/// The benchmark scenarios; each returns a result object that is written as JSON. With several servers (a
/// cluster behind one Redis), user i signs in on server i mod n, as a load balancer would spread them.
/// </summary>
/// <param name="offerCompression">Tabs offer permessage-deflate as Chromium's do; false repeats runs made before.</param>
/// <param name="http2WebSockets">A user's tabs share one HTTP/2 connection for their WebSockets (RFC 8441).</param>
public sealed partial class Scenarios(IReadOnlyList<Uri> servers, TextWriter log, Action<SocketsHttpHandler>? connection = null, bool offerCompression = true, bool http2WebSockets = false)
{
    public const string Password = "Bench-Passw0rd!";

    private readonly string runId = Guid.NewGuid().ToString("N")[..6];

    /// <summary>The master process of a proxy in front of the server (BENCH_PROXY=nginx), whose memory S1 adds.</summary>
    public int? ProxyPid { get; init; }

    // The driver's own collection pauses: a paused driver stamps a delivery late just as a paused server delivers it late.
    private static readonly ChatApp.Admin.GcPauseLog DriverPauses = new();

    /// <summary>The driver's collection pauses that began since <paramref name="unixMs"/>, in the server's form.</summary>
    private static GcPause[] DriverPausesSince(long unixMs) =>
        [.. DriverPauses.Since(unixMs).Select(p => new GcPause(p.StartedAtUnixMs, p.Milliseconds, p.Generation, p.Kind))];

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
                session.Http2WebSockets = http2WebSockets;
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
        var driverPauses = DriverPausesSince(startedUnixMs);
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
        using var warmedUp = new CancellationTokenSource();
        var flooding = Task.WhenAll(tabs.Select((tab, i) => Task.Run(async () =>
        {
            for (var m = 0; !warmedUp.IsCancellationRequested; m++)
            {
                await tab.SendMessageAsync($"warm-up {runId} {i} {m}");
            }
        })));
        var compiling = await UntilCompiledAsync(probe, warmUp);
        warmedUp.Cancel();
        await flooding;
        var warmUpSeconds = warm.Elapsed.TotalSeconds;
        log.WriteLine($"warm-up: {warmUpSeconds:0} s of flooding, {compiling:0} ms compiling in the last 5 s");
        var before = await probe.SampleAsync();
        var receivedBefore = Received(tabs);
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
        var received = Received(tabs);
        // Divided by the acknowledged messages (at least one, so an empty window reads 0, not infinity).
        var messages = (double)Math.Max(1, committed);
        // Acknowledged sends are checked against the rows really in the database.
        long? stored = databasePath is null ? null : await RawSqlite.CountMessagesAsync(databasePath, $"flood {runId} ");
        var result = new
        {
            scenario = "S4",
            senders,
            roomSize,
            warmUpSeconds = Math.Round(warmUpSeconds),
            durationSeconds = elapsed.TotalSeconds,
            // Whether the window was steady state: the server's JIT time during it.
            serverJitMs = after.JitMs - before.JitMs,
            committed,
            stored,
            errors,
            messagesPerSecond = committed / elapsed.TotalSeconds,
            sendToAck = Stats.Summarize(acks),
            serverCpuPercent = 100 * (after.CpuSeconds - before.CpuSeconds) / elapsed.TotalSeconds,
            // Per acknowledged message, what the server did for it: figures that do not move with the machine's speed
            // (the counts and the bytes) beside the one that does (CPU time).
            serverCpuMicrosecondsPerMessage = 1e6 * (after.CpuSeconds - before.CpuSeconds) / messages,
            serverAllocatedKilobytesPerMessage = (after.TotalAllocatedBytes - before.TotalAllocatedBytes) / 1024.0 / messages,
            renderBatchesPerMessage = (received.Batches - receivedBefore.Batches) / messages,
            jsCallsPerMessage = (received.JsCalls - receivedBefore.JsCalls) / messages,
            // Renders that replaced the sender's text box input handler during the window, all tabs together.
            composerInputHandlerReplacements = received.ComposerInputReplacements - receivedBefore.ComposerInputReplacements,
        };
        log.WriteLine($"S4 senders={senders}: {result.messagesPerSecond:0} messages/s acknowledged, {stored} stored, errors {errors}; per message "
            + $"{result.serverCpuMicrosecondsPerMessage:0} µs server CPU, {result.serverAllocatedKilobytesPerMessage:0.0} KB allocated, "
            + $"{result.renderBatchesPerMessage:0.00} render batches, {result.jsCallsPerMessage:0.00} JS calls; "
            + $"{result.composerInputHandlerReplacements} composer input handler replacements");
        await CloseAsync(tabs, sessions);
        return result;
    }

    /// <summary>Render batches and JS interop calls the tabs have received so far, and how often a render replaced a composer's input handler.</summary>
    private static (long Batches, long JsCalls, long ComposerInputReplacements) Received(IReadOnlyCollection<CircuitClient> tabs) =>
        (tabs.Sum(t => (long)t.BatchesReceived), tabs.Sum(t => (long)t.JsCallsReceived), tabs.Sum(t => (long)t.ComposerInputHandlerReplacements));

    private static async Task CloseAsync(IEnumerable<CircuitClient> tabs, IEnumerable<BrowserSession> sessions)
    {
        await Task.WhenAll(tabs.Select(t => t.DisposeAsync().AsTask()));
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }
}
