using System.Text;
using System.Text.Json.Nodes;

namespace ChatApp.Bench;

/// <summary>The report's comparisons of ChatApp with itself: before and after the optimizations, one server and two.</summary>
public static partial class Report
{
    private static void BeforeAfter(StringBuilder md, Dictionary<string, RunGroup> groups)
    {
        var before = groups.Values.Where(g => g.Name.StartsWith("before-", StringComparison.Ordinal)).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        if (before.Count == 0)
        {
            return;
        }
        md.AppendLine("## Before and after the optimizations");
        md.AppendLine();
        md.AppendLine("`before-*` runs measure the app as it was before the performance work — commit 1e17200 with only `/diagnostics/runtime` added so the driver can read the server — built apart and started with `BENCH_APP`; same driver, scenario and settings. \"After\" is the `after-*` group of the same name, or else the group of that name above (an older single `before-x.json` beside numbered `before-x-k` runs pairs with `x`). Later before/after pairs measured one change each: the build column says which build each side ran. Medians (lowest–highest).");
        md.AppendLine();
        md.AppendLine("| scenario | runs before / after | build before → after | p50 ms before → after | p99 ms before → after | lost before → after | messages/s committed before → after | server CPU % before → after | alloc/delivery KB before → after | RSS per circuit KB before → after |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        Func<JsonNode?, double?> p50 = r => Number(r, "latency.P50Ms") ?? Number(r, "sendToAck.P50Ms");
        Func<JsonNode?, double?> p99 = r => Number(r, "latency.P99Ms") ?? Number(r, "sendToAck.P99Ms");
        foreach (var group in before)
        {
            // An older single file beside numbered runs of the same name (`before-x.json`) pairs with `x`, as it always did.
            var older = group.Name.EndsWith(".json", StringComparison.Ordinal);
            var name = group.Name["before-".Length..].Replace(".json", "", StringComparison.Ordinal);
            var after = (older ? null : groups.GetValueOrDefault($"after-{name}")) ?? groups.GetValueOrDefault(name);
            var b = group.Results.ToList();
            var a = after?.Results.ToList() ?? [];
            var s4 = Get(b.FirstOrDefault(), "scenario") == "S4";
            md.AppendLine($"| {group.Name["before-".Length..]} | {b.Count} / {a.Count} | {Builds(group)} → {(after is null ? "–" : Builds(after))} | {Cell(b, p50)} → {Cell(a, p50)} | {Cell(b, p99)} → {Cell(a, p99)} | {Cell(b, "lost", "0")} → {Cell(a, "lost", "0")} | " +
                $"{(s4 ? $"{Cell(b, "messagesPerSecond", "0")} → {Cell(a, "messagesPerSecond", "0")}" : "–")} | {Cell(b, "serverCpuPercent", "0")} → {Cell(a, "serverCpuPercent", "0")} | " +
                $"{Cell(b, Kilobytes("serverAllocatedBytesPerDelivery"))} → {Cell(a, Kilobytes("serverAllocatedBytesPerDelivery"))} | {Cell(b, RssPerConnection, "0")} → {Cell(a, RssPerConnection, "0")} |");
        }
        md.AppendLine();
    }

    /// <summary>The commits a group ran, or the checkout its <c>BENCH_APP</c> build came from (its commit is not recorded).</summary>
    private static string Builds(RunGroup group) =>
        string.Join(", ", group.Runs.Select(run => Get(run, "serverApp") is { Length: > 0 } app ? $"`{CheckoutOf(app)}` build" : Get(run, "appCommit") ?? "–").Distinct());

    /// <summary>What two servers on one Redis add: the same scenarios as cluster-* runs beside the one-server runs.</summary>
    private static void Cluster(StringBuilder md, Dictionary<string, RunGroup> groups)
    {
        var pairs = FanOutSizes
            .Select(n => (One: $"s2-n{n}", Two: $"cluster-s2-n{n}"))
            .Where(p => groups.ContainsKey(p.Two))
            .ToList();
        if (pairs.Count == 0 && !groups.ContainsKey("cluster-s3"))
        {
            return;
        }
        md.AppendLine("## Two servers behind one Redis (scale-out)");
        md.AppendLine();
        md.AppendLine("`BENCH_SERVERS=2`: two ChatApp servers on one database and a private redis-server, users alternating between " +
            "them. All three processes share the server CPU (CPU 0), the driver keeps CPU 1: on this 2-core machine the comparison " +
            "is at equal hardware, so it shows what the backplane costs, not the capacity a second machine adds. Medians (lowest–highest).");
        md.AppendLine();
        if (pairs.Count > 0)
        {
            md.AppendLine("| S2 users | servers | runs | p50 ms | p99 ms | max ms | deliveries/s | lost | server CPU % | server RSS MB |");
            md.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (one, two) in pairs)
            {
                foreach (var (label, servers) in new[] { (one, 1), (two, 2) })
                {
                    if (groups.TryGetValue(label, out var group))
                    {
                        var r = group.Results;
                        md.AppendLine($"| {Get(r.First(), "users")} | {servers} | {RunCount(group)} | {Cell(r, "latency.P50Ms")} | {Cell(r, "latency.P99Ms")} | {Cell(r, "latency.MaxMs")} | " +
                            $"{Cell(r, "deliveriesPerSecond", "0")} | {Cell(r, "lost", "0")} | {Cell(r, "serverCpuPercent", "0")} | {Cell(r, Megabytes("serverRssBytes"), "0")} |");
                    }
                }
            }
            md.AppendLine();
        }
        if (groups.TryGetValue("cluster-s3", out var s3))
        {
            md.AppendLine("| S3 users | servers | runs | messages | p50 ms | p99 ms | max ms | errors % | server CPU % | GC paused % | gen1 / gen2 | longest pause ms | slow deliveries in pauses % | server RSS MB |");
            md.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (group, servers) in new[] { (groups.GetValueOrDefault("s3"), 1), (s3, 2) })
            {
                foreach (var (users, steps) in group is null ? [] : Steps(group))
                {
                    md.AppendLine($"| {users} | {servers} | {RunCount(steps.Count)} | {StepRow(steps)} |");
                }
            }
            md.AppendLine();
        }
    }
}
