using System.Text;
using System.Text.Json.Nodes;

namespace ChatApp.Bench;

/// <summary>The S2 section of the report: ChatApp, the Socket.IO peers and the ASP.NET Core floor by room size, and their ratios.</summary>
public static partial class Report
{
    private static readonly int[] FanOutSizes = [10, 100, 1000];

    private static readonly (string Prefix, string Name)[] FanOutSystems =
        [("s2-h2-n", "ChatApp, tabs on HTTP/2 (Chromium's, TLS in the app)"), ("s2-n", "ChatApp, tabs on HTTP/1.1"), ("s2-one-core-n", "ChatApp, one-core host settings"), ("peer-plain-s2-n", "Socket.IO plain"), ("peer-checked-s2-n", "Socket.IO checked"), ("peer-persisted-s2-n", "Socket.IO persisted"),
         ("floor-s2-n", "ASP.NET Core floor (SignalR group send)"), ("floor-http-s2-n", "ASP.NET Core floor, plain HTTP")];

    private static readonly string[] Peers = ["plain", "checked", "persisted"];

    private static void FanOut(StringBuilder md, Dictionary<string, RunGroup> groups, string charts)
    {
        md.AppendLine("## S2 fan-out: N users in one room, 10 messages/s");
        md.AppendLine();
        md.AppendLine("Send-to-render latency at every recipient (ChatApp: a headless circuit's render batch carrying the message; peer: the Socket.IO event). " +
            "Each figure is the median of the configuration's runs with the lowest and highest run in brackets; *1 run* marks a single run. " +
            "Server CPU per delivery: server CPU time over the measured window ÷ deliveries (files without `serverCpuMicrosecondsPerDelivery`: CPU % × window ÷ deliveries). " +
            "Warm-up: seconds of the same traffic before the window, not measured (– : 10 s, the fixed warm-up before it was an option; bench/FINDINGS.md, tenth round).");
        md.AppendLine();
        md.AppendLine("| run | N | runs | commit | warm-up s | p50 ms | p99 ms | max ms | deliveries/s | lost | server CPU % | server CPU µs/delivery | server GC paused % | driver CPU % | server alloc/delivery KB | server RSS MB |");
        md.AppendLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var p50 = new Dictionary<string, List<ChartPoint>>();
        var p99 = new Dictionary<string, List<ChartPoint>>();
        foreach (var (prefix, name) in FanOutSystems)
        {
            foreach (var n in FanOutSizes)
            {
                if (!groups.TryGetValue($"{prefix}{n}", out var group))
                {
                    continue;
                }
                var r = group.Results;
                md.AppendLine($"| {name} | {n} | {RunCount(group)} | {Commits(group)} | {Cell(r, "warmUpSeconds", "0")} | {Cell(r, "latency.P50Ms")} | {Cell(r, "latency.P99Ms")} | {Cell(r, "latency.MaxMs")} | {Cell(r, "deliveriesPerSecond", "0")} | {Cell(r, "lost", "0")} | " +
                    $"{Cell(r, "serverCpuPercent", "0")} | {Cell(r, CpuPerDelivery, "0.0")} | {Cell(r, "serverGcPausePercent")} | {Cell(r, "driverCpuPercent", "0")} | {Cell(r, Kilobytes("serverAllocatedBytesPerDelivery"))} | {Cell(r, Megabytes("serverRssBytes"), "0")} |");
                AddPoint(p50, name, n, Spread.Of(Values(r, Metric("latency.P50Ms"))));
                AddPoint(p99, name, n, Spread.Of(Values(r, Metric("latency.P99Ms"))));
            }
        }
        md.AppendLine();
        // Where the app ends TLS, Chromium opens the circuit and the row feed as HTTP/2 streams (bench/FINDINGS.md,
        // nineteenth round); behind a proxy that speaks HTTP/1.1 to browsers (nginx), each tab has its own connection.
        foreach (var (label, transport) in new[] { ("s2-h2-n1000", "tabs on HTTP/2, as Chromium opens them with TLS in the app"), ("s2-n1000", "tabs on HTTP/1.1") })
        {
            if (groups.TryGetValue(label, out var target))
            {
                md.AppendLine($"Target at N = 1,000 ({transport}, `{label}`): p50 ≤ 20 ms, p99 ≤ 100 ms (medians), nothing lost in any run — {Verdict(TargetMet(target.Results))}{Caveat(target)}.");
                md.AppendLine();
            }
        }
        if (groups.TryGetValue("s2-one-core-n1000", out var oneCore))
        {
            // The server started with the four lines docs/deploy.md gives one-core hosts (the server collector with one
            // heap and a 6-MB young generation instead of the workstation collector .NET picks on one processor).
            var r = oneCore.Results;
            var (medianP50, medianP99) = (Median(r, "latency.P50Ms"), Median(r, "latency.P99Ms"));
            md.AppendLine($"The same target with the one-core host settings of docs/deploy.md (`s2-one-core-n1000`; server environment in the result files) — {Verdict(TargetMet(r))}{Caveat(oneCore)}: " +
                $"p50 {Format(medianP50)} ms (≤ 20: {Verdict(medianP50 <= 20)}), p99 {Format(medianP99)} ms (≤ 100: {Verdict(medianP99 <= 100)}).");
            md.AppendLine();
        }
        PeerRatios(md, groups);
        FloorRatios(md, groups);
        if (p99.Count > 0)
        {
            File.WriteAllText(Path.Combine(charts, "s2-latency.svg"), Svg.LineChart("S2: p99 send-to-render vs users in the room", "users (log)", "ms (log), median, whiskers min–max", p99, logX: true, logY: true));
            File.WriteAllText(Path.Combine(charts, "s2-latency-p50.svg"), Svg.LineChart("S2: p50 send-to-render vs users in the room", "users (log)", "ms (log), median, whiskers min–max", p50, logX: true, logY: true));
            md.AppendLine("![S2 p99 latency](charts/s2-latency.svg) ![S2 p50 latency](charts/s2-latency-p50.svg)");
            md.AppendLine();
        }
    }

    /// <summary>S2's target at N = 1,000: p50 ≤ 20 ms and p99 ≤ 100 ms (medians), nothing lost in any run.</summary>
    private static bool TargetMet(IEnumerable<JsonNode?> runs) =>
        Median(runs, "latency.P50Ms") <= 20 && Median(runs, "latency.P99Ms") <= 100 && Spread.Of(Values(runs, Metric("lost")))?.Max == 0;

    private static void AddPoint(Dictionary<string, List<ChartPoint>> series, string name, double x, Spread? spread)
    {
        if (spread is { } s)
        {
            series.TryAdd(name, []);
            series[name].Add(new ChartPoint(x, s.Median, s.Min, s.Max));
        }
    }

    /// <summary>p99 of ChatApp over p99 of each peer at the same N, from the medians; the issue's target is ≤ 1.5.</summary>
    private static void PeerRatios(StringBuilder md, Dictionary<string, RunGroup> groups)
    {
        var rows = new List<string>();
        foreach (var (prefix, setting) in new[] { ("s2-h2-n", "defaults, tabs on HTTP/2"), ("s2-n", "defaults, tabs on HTTP/1.1"), ("s2-one-core-n", "one-core host settings") })
        {
            foreach (var n in FanOutSizes)
            {
                var app = groups.GetValueOrDefault($"{prefix}{n}");
                var cells = Peers.Select(peer =>
                {
                    var other = groups.GetValueOrDefault($"peer-{peer}-s2-n{n}");
                    if (app is null || other is null || Median(app.Results, "latency.P99Ms") is not { } a || Median(other.Results, "latency.P99Ms") is not { } b || b <= 0)
                    {
                        return "–";
                    }
                    var runs = $"{app.Runs.Count} / {other.Runs.Count} runs";
                    return $"{Format(a / b, "0.00")}× ({Format(a)} / {Format(b)} ms, {runs}) {Verdict(a / b <= 1.5)}";
                }).ToList();
                if (cells.Any(c => c != "–"))
                {
                    rows.Add($"| {n} | {setting} | {string.Join(" | ", cells)} |");
                }
            }
        }
        Table(md, "ChatApp / peer, p99 latency (median / median; ChatApp runs / peer runs). ChatApp's server with the runtime's defaults, and with the one-core host settings of docs/deploy.md where measured. Target ≤ 1.5×:",
            "| N | ChatApp server | vs Socket.IO plain | vs Socket.IO checked | vs Socket.IO persisted |", rows);
    }

    /// <summary>
    /// ChatApp against the ASP.NET Core floor at the same N (bench/ChatApp.Floor: one rendered row sent to every reader,
    /// no UI): how far the per-tab Blazor path is from what a broadcast path in .NET costs. Informative, not a target.
    /// </summary>
    private static void FloorRatios(StringBuilder md, Dictionary<string, RunGroup> groups)
    {
        var rows = new List<string>();
        foreach (var n in FanOutSizes)
        {
            if (groups.GetValueOrDefault($"s2-n{n}") is not { } app || groups.GetValueOrDefault($"floor-s2-n{n}") is not { } floor
                || Median(app.Results, "latency.P99Ms") is not { } a || Median(floor.Results, "latency.P99Ms") is not { } b || b <= 0
                || Median(app.Results, CpuPerDelivery) is not { } appCpu || Median(floor.Results, CpuPerDelivery) is not { } floorCpu || floorCpu <= 0)
            {
                continue;
            }
            rows.Add($"| {n} | {Format(a / b, "0.0")}× ({Format(a)} / {Format(b)} ms) | {Format(appCpu / floorCpu, "0.0")}× ({Format(appCpu, "0.0")} / {Format(floorCpu, "0.0")} µs) | {app.Runs.Count} / {floor.Runs.Count} |");
        }
        Table(md, "ChatApp / the ASP.NET Core floor (both over TLS; bench/README.md, \"The ASP.NET Core floor\"): what rendering per tab costs against sending one rendered row to every reader. Informative, not a target:",
            "| N | p99 latency | server CPU per delivery | runs (ChatApp / floor) |", rows);
    }

    /// <summary>An introduction, a header row (its separator row follows from its columns: the first right-aligned) and the rows; nothing without rows.</summary>
    private static void Table(StringBuilder md, string introduction, string header, List<string> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        md.AppendLine(introduction);
        md.AppendLine();
        md.AppendLine(header);
        md.AppendLine("|---:" + string.Concat(Enumerable.Repeat("|---", header.Count(c => c == '|') - 2)) + "|");
        rows.ForEach(row => md.AppendLine(row));
        md.AppendLine();
    }
}
