using System.Text.Json.Nodes;

namespace ChatApp.Bench;

/// <summary>Table cells from a configuration's runs: the median, with the lowest and highest run beside it.</summary>
public static partial class Report
{
    private static Func<JsonNode?, double?> Metric(string path) => r => Number(r, path);

    private static Func<JsonNode?, double?> Kilobytes(string path) => r => Number(r, path) / 1024;

    private static Func<JsonNode?, double?> Megabytes(string path) => r => Number(r, path) / 1048576;

    /// <summary>Server CPU time per delivery; older files only have the CPU share over the measured window.</summary>
    private static double? CpuPerDelivery(JsonNode? r) =>
        Number(r, "serverCpuMicrosecondsPerDelivery")
        ?? (Number(r, "deliveries") is > 0 and var deliveries ? Number(r, "serverCpuPercent") / 100 * Number(r, "durationSeconds") / deliveries * 1e6 : null);

    private static IEnumerable<double> Values(IEnumerable<JsonNode?> results, Func<JsonNode?, double?> metric) =>
        results.Select(metric).OfType<double>();

    private static double? Median(IEnumerable<JsonNode?> results, Func<JsonNode?, double?> metric) => Spread.Of(Values(results, metric))?.Median;

    private static double? Median(IEnumerable<JsonNode?> results, string path) => Median(results, Metric(path));

    private static string Cell(IEnumerable<JsonNode?> results, string path, string format = "0.0") => Cell(results, Metric(path), format);

    /// <summary><c>24.7 (22.1–30.3)</c>: the median of the runs, then the lowest and highest; one run shows its value alone.</summary>
    private static string Cell(IEnumerable<JsonNode?> results, Func<JsonNode?, double?> metric, string format = "0.0") =>
        Spread.Of(Values(results, metric)) switch
        {
            null => "–",
            { Runs: 1 } s => Format(s.Median, format),
            var s => $"{Format(s.Median, format)} ({Format(s.Min, format)}–{Format(s.Max, format)})",
        };

    /// <summary>The number of runs; fewer than three is spelled out, so a single run is not read as a median.</summary>
    private static string RunCount(RunGroup group) => RunCount(group.Runs.Count);

    private static string RunCount(int runs) => runs switch
    {
        1 => "*1 run*",
        < 3 and var n => $"*{n} runs*",
        var n => n.ToString(Invariant),
    };

    private static string RunsText(RunGroup group) => group.Runs.Count == 1 ? "1 run" : $"{group.Runs.Count} runs";

    private static string Caveat(RunGroup group) => group.Runs.Count < 3 ? $" (from {RunsText(group)}, not a median of three)" : "";

    private static string Commits(RunGroup group) =>
        string.Join(", ", group.Runs.Select(run => Get(run, "appCommit")).Where(c => !string.IsNullOrEmpty(c)).Distinct()) is { Length: > 0 } commits ? commits : "–";
}
