namespace ChatApp.Bench;

public static class Stats
{
    /// <summary>The value below which the given share of samples fall (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double share)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(share * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static LatencySummary Summarize(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        return new LatencySummary(sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.99), sorted.Count == 0 ? double.NaN : sorted[^1]);
    }
}

public sealed record LatencySummary(int Samples, double P50Ms, double P99Ms, double MaxMs);

/// <summary>The median of a configuration's runs with the lowest and highest run beside it.</summary>
public sealed record Spread(double Median, double Min, double Max, int Runs)
{
    public static Spread? Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v) && !double.IsInfinity(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Count);
    }
}
