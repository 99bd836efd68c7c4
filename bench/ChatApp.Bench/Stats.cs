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
