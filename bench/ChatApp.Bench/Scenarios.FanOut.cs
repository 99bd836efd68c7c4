using System.Collections.Concurrent;
using System.Diagnostics;
using ChatApp.LoadDriver;

namespace ChatApp.Bench;

/// <summary>S2, fan-out: its window, the warm-up that reaches a steady state first, and the server's timeline.</summary>
public sealed partial class Scenarios
{
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
        var signalsBefore = tabs.Sum(t => (long)t.SignalsReceived);
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
            // Who is typing, over the same feeds (rooms of 51-100 people, where typing is shown).
            rowFeedTypingSignals = tabs.Sum(t => (long)t.SignalsReceived) - signalsBefore,
            rowFeedsOpen = tabs.Count(t => t.RowFeedOpen),
            serverRssBytes = after.RssBytes,
            failedTabs = tabs.Count(t => t.Error is not null),
            serverGcPausesOver20Ms = Pauses(after.GcPauses ?? []),
            driverGcPausesOver20Ms = Pauses(DriverPausesSince(startedUnixMs)),
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
    /// compiling (under <see cref="QuietJitMs"/> of JIT in each of the last two 5-s spans; at most <see cref="MaximumWarmUp"/>): a fresh
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
        var before = double.NaN;
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
            (before, compiling, jitMs) = (compiling, now - jitMs, now);
            if (WarmedUp(TimeSpan.FromSeconds(second), minimum, before, compiling))
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

    /// <summary>
    /// Waits at least <paramref name="minimum"/>, then until the server compiled under <see cref="QuietJitMs"/> in each of two 5-s spans (at
    /// most <see cref="MaximumWarmUp"/>) while the caller's warm-up traffic runs (S4's flood).
    /// </summary>
    /// <returns>The JIT time of the last 5 s, in ms (0 from a server that does not report it: it gets the minimum).</returns>
    private static async Task<double> UntilCompiledAsync(ServerProbe probe, TimeSpan minimum)
    {
        var clock = Stopwatch.StartNew();
        var jitMs = (await probe.SampleAsync()).JitMs;
        var compiling = double.NaN;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var now = (await probe.SampleAsync()).JitMs;
            var before = compiling;
            (compiling, jitMs) = (now - jitMs, now);
            if (WarmedUp(clock.Elapsed, minimum, before, compiling))
            {
                return compiling;
            }
        }
    }

    /// <summary>
    /// The warm-up's end: at least <paramref name="minimum"/>, and the server compiled under <see cref="QuietJitMs"/> in
    /// each of the last two 5-s spans, or the maximum passed. Two spans, not one: on one CPU the tiered JIT can wait out
    /// a quiet 5 s before promoting the hot paths (an S4 run ended its warm-up after 15 s, 22 ms compiling in the last 5,
    /// and compiled 2.6 s in the measured window; bench/FINDINGS.md, twelfth round).
    /// </summary>
    private static bool WarmedUp(TimeSpan elapsed, TimeSpan minimum, double previousMs, double compilingMs) =>
        elapsed >= minimum && ((previousMs < QuietJitMs && compilingMs < QuietJitMs) || elapsed >= MaximumWarmUp);

    /// <summary>Compiling under this in 5 s (2 % of the core) ends the warm-up: the server's hot paths are compiled.</summary>
    private const double QuietJitMs = 100;

    private static readonly TimeSpan MaximumWarmUp = TimeSpan.FromSeconds(150);
}
