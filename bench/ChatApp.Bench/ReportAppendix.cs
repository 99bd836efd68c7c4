using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatApp.Bench;

/// <summary>The report's closing sections: levers, experiments, every run on record, and the profiles taken.</summary>
public static partial class Report
{
    private static void Experiments(StringBuilder md, Dictionary<string, RunGroup> groups)
    {
        var runs = groups.Values.Where(g => g.Name.StartsWith("exp-", StringComparison.Ordinal)).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        if (runs.Count == 0)
        {
            return;
        }
        md.AppendLine("## Experiments");
        md.AppendLine();
        md.AppendLine("Runs with one setting changed; the server settings column lists what differs from the configuration above. Medians (lowest–highest) where there are several runs.");
        md.AppendLine();
        md.AppendLine("| run | runs | scenario | server settings added | committed/s (S4) or deliveries/s (S2) | p50 ms | p99 ms | lost / errors % | server CPU % | server RSS MB |");
        md.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var group in runs)
        {
            var results = group.Results.Select(LastStep).ToList();
            var extra = Get(group.Runs[0], "serverEnvironment");
            md.AppendLine($"| {group.Name} | {RunCount(group)} | {Get(results[0], "scenario")} | {(string.IsNullOrWhiteSpace(extra) ? "–" : $"`{extra}`")} | {Cell(results, r => Number(r, "deliveriesPerSecond") ?? Number(r, "messagesPerSecond"), "0")} | " +
                $"{Cell(results, r => Number(r, "latency.P50Ms") ?? Number(r, "sendToAck.P50Ms"))} | {Cell(results, r => Number(r, "latency.P99Ms") ?? Number(r, "sendToAck.P99Ms"))} | " +
                $"{Cell(results, r => Number(r, "lost") ?? Number(r, "errorPercent"), "0.###")} | {Cell(results, "serverCpuPercent", "0")} | {Cell(results, Megabytes("serverRssBytes"), "0")} |");
        }
        md.AppendLine();
    }

    /// <summary>S3 results are a staircase: an experiment shows its last step.</summary>
    private static JsonNode? LastStep(JsonNode? r) =>
        r?["steps"] is JsonArray { Count: > 0 } steps && steps[^1] is JsonObject last
            ? new JsonObject
            {
                ["scenario"] = $"S3 ({last["Users"]} users)",
                ["latency"] = last["Latency"]?.DeepClone(),
                ["errorPercent"] = 100 * (double)last["ErrorRate"]!,
                ["serverCpuPercent"] = last["ServerCpuPercent"]?.DeepClone(),
                ["serverRssBytes"] = last["ServerRssBytes"]?.DeepClone(),
            }
            : r;

    /// <summary>
    /// lever-&lt;k&gt;-&lt;name&gt;-s2-n&lt;N&gt; and lever-&lt;k&gt;-&lt;name&gt;-s1b-&lt;tabs&gt;: the same scenario after each
    /// optimization lever in turn (k = 0 is the baseline), so each lever's effect is the step from the row above.
    /// </summary>
    private static void Levers(StringBuilder md, Dictionary<string, RunGroup> groups, string charts)
    {
        var levers = groups.Values
            .Select(g => (Group: g, Match: LeverName().Match(g.Name)))
            .Where(l => l.Match.Success)
            .Select(l => (l.Group, Order: int.Parse(l.Match.Groups["order"].Value, Invariant), Lever: l.Match.Groups["lever"].Value,
                Scenario: l.Match.Groups["scenario"].Value, Size: int.Parse(l.Match.Groups["size"].Value, Invariant)))
            .OrderBy(l => l.Scenario, StringComparer.Ordinal).ThenBy(l => l.Size).ThenBy(l => l.Order)
            .ToList();
        if (levers.Count == 0)
        {
            return;
        }
        md.AppendLine("## Levers");
        md.AppendLine();
        md.AppendLine("The same scenario measured after each optimization lever in turn (`lever-<k>-<name>-…`, k = 0 the baseline); each row includes the levers above it. Warm-up – : 10 s. Medians (lowest–highest).");
        md.AppendLine();
        var fanOut = levers.Where(l => l.Scenario == "s2").ToList();
        if (fanOut.Count > 0)
        {
            md.AppendLine("| lever | S2 N | runs | commit | warm-up s | p50 ms | p99 ms | deliveries/s | lost | server CPU µs/delivery | alloc/delivery KB | GC paused % |");
            md.AppendLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (group, order, lever, _, size) in fanOut)
            {
                var r = group.Results;
                md.AppendLine($"| {order} {lever} | {size} | {RunCount(group)} | {Commits(group)} | {Cell(r, "warmUpSeconds", "0")} | {Cell(r, "latency.P50Ms")} | {Cell(r, "latency.P99Ms")} | {Cell(r, "deliveriesPerSecond", "0")} | {Cell(r, "lost", "0")} | " +
                    $"{Cell(r, CpuPerDelivery)} | {Cell(r, Kilobytes("serverAllocatedBytesPerDelivery"))} | {Cell(r, "serverGcPausePercent")} |");
            }
            md.AppendLine();
            var bars = fanOut.Select(l => (Label: $"{l.Order} {l.Lever}, N={l.Size}", Value: Median(l.Group.Results, CpuPerDelivery))).Where(b => b.Value is not null).Select(b => (b.Label, b.Value!.Value)).ToList();
            if (bars.Count > 0)
            {
                File.WriteAllText(Path.Combine(charts, "levers-cpu.svg"), Svg.BarChart("S2: server CPU µs per delivery after each lever (median)", bars));
                md.AppendLine("![Server CPU per delivery after each lever](charts/levers-cpu.svg)");
                md.AppendLine();
            }
        }
        var density = levers.Where(l => l.Scenario == "s1b").ToList();
        if (density.Count > 0)
        {
            md.AppendLine("| lever | S1b tabs | runs | commit | messages per room | live tabs | RSS per tab KB | managed heap per tab KB |");
            md.AppendLine("|---|---:|---|---|---:|---:|---:|---:|");
            foreach (var (group, order, lever, _, size) in density)
            {
                var r = group.Results;
                md.AppendLine($"| {order} {lever} | {size} | {RunCount(group)} | {Commits(group)} | {Cell(r, "messagesPerRoom", "0")} | {Cell(r, LiveConnections, "0")} | {Cell(r, RssPerConnection, "0")} | {Cell(r, HeapPerConnection, "0")} |");
            }
            md.AppendLine();
        }
    }

    [GeneratedRegex("^lever-(?<order>[0-9]+)-(?<lever>.+)-(?<scenario>s2|s1b)-n?(?<size>[0-9]+)$")]
    private static partial Regex LeverName();

    /// <summary>Which build and settings each result file measured, so a reader can tell runs of different commits apart.</summary>
    private static void Runs(StringBuilder md, Dictionary<string, JsonObject> results)
    {
        md.AppendLine("## Result files");
        md.AppendLine();
        md.AppendLine("| result | measured at (UTC) | app commit | other build | extra server settings |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var (name, doc) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var at = Get(doc, "measuredAt");
            var when = at is { Length: >= 16 } ? at[..16].Replace('T', ' ') : "–";
            var commit = Get(doc, "appCommit") is { Length: > 0 } c ? c : "–";
            // BENCH_APP points at <checkout>/ChatApp/bin/Release/net10.0/ChatApp.dll: show the checkout's folder.
            var app = Get(doc, "serverApp");
            var build = string.IsNullOrEmpty(app) ? "–" : $"`{CheckoutOf(app)}`";
            var env = Get(doc, "serverEnvironment") is { Length: > 0 } e ? $"`{e}`" : "–";
            md.AppendLine($"| [{name}](results/{name}.json) | {when} | {commit} | {build} | {env} |");
        }
        md.AppendLine();
    }

    private static string? CheckoutOf(string app) => new DirectoryInfo(Path.GetDirectoryName(app)!).Parent?.Parent?.Parent?.Parent?.Name;

    /// <summary>profile-* results: perf samples of the server during a scenario's measured phase (bench/profile/run).</summary>
    private static void Profiles(StringBuilder md, Dictionary<string, JsonObject> results)
    {
        var profiles = results.Where(r => r.Key.StartsWith("profile-", StringComparison.Ordinal)).OrderBy(r => r.Key).ToList();
        if (profiles.Count == 0)
        {
            return;
        }
        md.AppendLine("## Profiles");
        md.AppendLine();
        md.AppendLine("Server CPU samples (perf, 999 Hz, 10 s of the measured phase). *Inclusive*: share of samples with that code anywhere on the stack (categories overlap). *Leaf*: where the CPU was.");
        md.AppendLine();
        foreach (var (name, doc) in profiles)
        {
            var r = doc["result"]!;
            md.AppendLine($"### {name}");
            md.AppendLine();
            md.AppendLine($"`bench/run {Get(r, "scenario")}` — {Get(r, "scenarioResult")} ({Get(r, "samples")} samples)");
            md.AppendLine();
            md.AppendLine("| inclusive | % | leaf | % |");
            md.AppendLine("|---|---:|---|---:|");
            var inclusive = (r["inclusivePercent"] as JsonObject)?.Select(p => (p.Key, p.Value?.ToString())).ToList() ?? [];
            var leaf = ((r["leafPercent"] as JsonObject)?.Select(p => (p.Key, p.Value?.ToString())) ?? [])
                .Concat(((r["managedLeafTierPercent"] as JsonObject)?.Select(p => ($"managed leaf in JIT tier {p.Key}", p.Value?.ToString())) ?? [])).ToList();
            for (var i = 0; i < Math.Max(inclusive.Count, leaf.Count); i++)
            {
                var (a, ap) = i < inclusive.Count ? inclusive[i] : ("", "");
                var (b, bp) = i < leaf.Count ? leaf[i] : ("", "");
                md.AppendLine($"| {a} | {ap} | {b} | {bp} |");
            }
            md.AppendLine();
            if (r["topLeafPercent"] is JsonObject top)
            {
                md.AppendLine("<details><summary>Hottest leaf symbols</summary>");
                md.AppendLine();
                md.AppendLine("| symbol | % |");
                md.AppendLine("|---|---:|");
                foreach (var (symbol, percent) in top)
                {
                    md.AppendLine($"| `{symbol.Replace("|", "\\|", StringComparison.Ordinal)}` | {percent} |");
                }
                md.AppendLine();
                md.AppendLine("</details>");
                md.AppendLine();
            }
        }
    }
}
