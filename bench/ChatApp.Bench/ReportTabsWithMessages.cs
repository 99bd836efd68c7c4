using System.Text;
using System.Text.Json.Nodes;

namespace ChatApp.Bench;

/// <summary>The S1b section of the report: tabs showing a room of messages, with TLS in the app or behind nginx.</summary>
public static partial class Report
{
    /// <summary>S1b's target: 10,000 live tabs (medians) at no more than 300 KB each by the given measure.</summary>
    private static bool HoldsTenThousandTabsWithin300Kb(RunGroup group, Func<JsonNode?, double?> perTab) =>
        Median(group.Results, "liveCircuits") >= 10_000 && Median(group.Results, perTab) <= 300;

    /// <summary>S1b: the same density with a room of messages on every tab (`messagesPerRoom`), as a user would see it.</summary>
    private static void TabsWithMessages(StringBuilder md, Dictionary<string, RunGroup> groups)
    {
        var s1b = groups.Values.Where(g => !g.Name.StartsWith("lever-", StringComparison.Ordinal) &&
            (g.Name.StartsWith("s1b-", StringComparison.Ordinal) || g.Name.Contains("-s1b-", StringComparison.Ordinal))).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        if (s1b.Count == 0)
        {
            return;
        }
        md.AppendLine("### S1b: tabs showing a room with messages");
        md.AppendLine();
        md.AppendLine("Runs named `s1b-h2-…` opened each user's five tabs as HTTP/2 streams on one connection, as Chromium does where the app ends TLS (`BENCH_HTTP2=true`); `s1b-10000` gave every tab an HTTP/1.1 connection of its own. " +
            "Runs named `s1b-nginx-…` ran behind nginx as docs/deploy.md deploys ChatApp (`BENCH_PROXY=nginx`: nginx ends TLS, both on the server's core): their RSS is the app's alone, and the last two columns add nginx's (master and worker).");
        md.AppendLine();
        md.AppendLine("| run | runs | commit | messages per room | live tabs | RSS per tab KB | managed heap per tab KB | collector's committed per tab KB | RSS total MB | nginx RSS per tab KB | app + nginx per tab KB |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in s1b)
        {
            var r = group.Results;
            md.AppendLine($"| {PeerLabel(group.Name)} ({group.Name}) | {RunCount(group)} | {Commits(group)} | {Cell(r, "messagesPerRoom", "0")} | {Cell(r, LiveConnections, "0")} | {Cell(r, RssPerConnection, "0")} | {Cell(r, HeapPerConnection, "0")} | {Cell(r, Kilobytes("gcCommittedPerCircuitBytes"), "0")} | {Cell(r, Megabytes("rssAfterBytes"), "0")} | {Cell(r, Kilobytes("proxyRssPerCircuitBytes"), "0")} | {Cell(r, Kilobytes("deploymentRssPerCircuitBytes"), "0")} |");
        }
        md.AppendLine();
        if (groups.GetValueOrDefault("s1b-10000") is { } target)
        {
            var met = HoldsTenThousandTabsWithin300Kb(target, RssPerConnection);
            md.AppendLine($"Target: 10,000 tabs showing {Format(Median(target.Results, "messagesPerRoom"), "0")} messages at ≤ 300 KB each (`s1b-10000`, medians; TLS in the app, a connection per tab) — {Verdict(met)}{Caveat(target)}.{NewerBuild(target, groups, "s1b-1")}");
            md.AppendLine();
        }
        if (groups.GetValueOrDefault("s1b-h2-10000") is { } browsers)
        {
            var met = HoldsTenThousandTabsWithin300Kb(browsers, RssPerConnection);
            md.AppendLine($"The same target with each user's tabs on one HTTP/2 connection, as Chromium opens them (`s1b-h2-10000`, medians; TLS in the app): {Format(Median(browsers.Results, RssPerConnection), "0.0")} KB per tab — {Verdict(met)}{Caveat(browsers)}.");
            md.AppendLine();
        }
        if (groups.GetValueOrDefault("s1b-h2-segments-10000") is { } segments)
        {
            // The same browsers' transport with the collector that keeps no free regions (docs/deploy.md, "Hosts with many tabs").
            var met = HoldsTenThousandTabsWithin300Kb(segments, RssPerConnection);
            md.AppendLine($"The same, with .NET's segments collector as docs/deploy.md sets it for hosts with many tabs (`s1b-h2-segments-10000`, `DOTNET_GCName=libclrgc.so`, medians): {Format(Median(segments.Results, RssPerConnection), "0.0")} KB per tab, the collector holding {Format(Median(segments.Results, Kilobytes("gcCommittedPerCircuitBytes")), "0")} KB of it — {Verdict(met)}{Caveat(segments)}.");
            md.AppendLine();
        }
        if (groups.GetValueOrDefault("s1b-nginx-10000") is { } deployed)
        {
            // Behind nginx the TLS state is nginx's: the target is judged on what the deployment holds, app and proxy.
            var met = HoldsTenThousandTabsWithin300Kb(deployed, Kilobytes("deploymentRssPerCircuitBytes"));
            md.AppendLine($"The same target behind nginx (`s1b-nginx-10000`, medians, app and nginx together): {Format(Median(deployed.Results, Kilobytes("deploymentRssPerCircuitBytes")), "0")} KB per tab, of which the app {Format(Median(deployed.Results, RssPerConnection), "0")} — {Verdict(met)}{Caveat(deployed)}.{NewerBuild(deployed, groups, "s1b-nginx-")}");
            md.AppendLine();
        }
    }
}
