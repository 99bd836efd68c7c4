using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatApp.Bench;

/// <summary>The report's closing sections: experiments, every run on record, and the profiles taken.</summary>
public static partial class Report
{
    private static void Experiments(StringBuilder md, Dictionary<string, JsonObject> results)
    {
        var runs = results.Where(r => r.Key.StartsWith("exp-", StringComparison.Ordinal)).OrderBy(r => r.Key).ToList();
        if (runs.Count == 0)
        {
            return;
        }
        md.AppendLine("## Experiments");
        md.AppendLine();
        md.AppendLine("Single runs with one setting changed; the server settings column lists what differs from the configuration above.");
        md.AppendLine();
        md.AppendLine("| run | scenario | server settings added | committed/s (S4) or deliveries/s (S2) | p50 ms | p99 ms | lost / errors | server CPU % | server RSS MB |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, doc) in runs)
        {
            var r = doc["result"];
            // S3 results are a staircase: an experiment shows its last step.
            if (r?["steps"] is JsonArray { Count: > 0 } steps && steps[^1] is JsonObject last)
            {
                r = new JsonObject
                {
                    ["scenario"] = $"S3 ({last["Users"]} users)",
                    ["latency"] = last["Latency"]?.DeepClone(),
                    ["errors"] = $"{100 * (double)last["ErrorRate"]!:0.000} %",
                    ["serverCpuPercent"] = last["ServerCpuPercent"]?.DeepClone(),
                    ["serverRssBytes"] = last["ServerRssBytes"]?.DeepClone(),
                };
            }
            var extra = Get(doc, "serverEnvironment");
            md.AppendLine($"| {name} | {Get(r, "scenario")} | {(string.IsNullOrWhiteSpace(extra) ? "–" : $"`{extra}`")} | {Format(Number(r, "deliveriesPerSecond") ?? Number(r, "messagesPerSecond"), "0")} | " +
                $"{Format(Number(r, "latency.P50Ms") ?? Number(r, "sendToAck.P50Ms"))} | {Format(Number(r, "latency.P99Ms") ?? Number(r, "sendToAck.P99Ms"))} | {Get(r, "lost") ?? Get(r, "errors")} | {Format(Number(r, "serverCpuPercent"), "0")} | {Format(Number(r, "serverRssBytes") / 1048576, "0")} |");
        }
        md.AppendLine();
    }

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
            var build = string.IsNullOrEmpty(app) ? "–" : $"`{new DirectoryInfo(Path.GetDirectoryName(app)!).Parent?.Parent?.Parent?.Parent?.Name}`";
            var env = Get(doc, "serverEnvironment") is { Length: > 0 } e ? $"`{e}`" : "–";
            md.AppendLine($"| [{name}](results/{name}.json) | {when} | {commit} | {build} | {env} |");
        }
        md.AppendLine();
    }

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
