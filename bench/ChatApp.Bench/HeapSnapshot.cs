using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatApp.Bench;

/// <summary>Bytes and object count of one type in a heap snapshot.</summary>
public sealed record TypeTotal(string Type, long Bytes, long Count);

/// <summary>
/// A heap snapshot of the server by type, taken with <c>dotnet-gcdump</c> (a .NET global tool:
/// <c>dotnet tool install -g dotnet-gcdump</c>). The tool walks the heap during a full blocking GC, so only
/// live objects are counted. Used by S1 to split memory per circuit by type.
/// </summary>
public static partial class HeapSnapshot
{
    public static async Task<Dictionary<string, TypeTotal>> CollectAsync(int processId, string path, TextWriter log)
    {
        await DotnetTool.RunAsync("dotnet-gcdump", ["collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", path]);
        var report = await DotnetTool.RunAsync("dotnet-gcdump", ["report", path]);
        var types = Parse(report);
        log.WriteLine($"heap snapshot {path}: {types.Values.Sum(t => t.Bytes) / 1048576.0:0.0} MB in {types.Count} types");
        return types;
    }

    /// <summary>
    /// Reads <c>dotnet-gcdump report</c>'s table ("bytes count type [assembly]"). The tool prints, per type, the
    /// size of one instance and the count, so bytes here are size × count: exact for objects of a fixed size,
    /// approximate for arrays and strings (the rows summed differ from the "GC Heap bytes" line by a few percent;
    /// the per-circuit totals in S1 come from the GC itself). The tool lists large instances of a type on
    /// separate lines ("System.Byte[] (Bytes > 10K)"); those are folded into one row per type.
    /// </summary>
    public static Dictionary<string, TypeTotal> Parse(string report)
    {
        var types = new Dictionary<string, TypeTotal>(StringComparer.Ordinal);
        foreach (var line in report.Split('\n'))
        {
            var match = Row().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var type = SizeBucket().Replace(match.Groups["type"].Value, "").Trim();
            var count = long.Parse(match.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var bytes = count * long.Parse(match.Groups["bytes"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            types[type] = types.TryGetValue(type, out var seen) ? seen with { Bytes = seen.Bytes + bytes, Count = seen.Count + count } : new TypeTotal(type, bytes, count);
        }
        return types;
    }

    /// <summary>What each type grew by between two snapshots, largest first.</summary>
    public static List<TypeTotal> Growth(Dictionary<string, TypeTotal> before, Dictionary<string, TypeTotal> after) =>
        [.. after.Values
            .Select(a => before.TryGetValue(a.Type, out var b) ? a with { Bytes = a.Bytes - b.Bytes, Count = a.Count - b.Count } : a)
            .Where(t => t.Bytes > 0)
            .OrderByDescending(t => t.Bytes)];

    // "      524,312         1  System.Byte[] (Bytes > 100K)  [System.Private.CoreLib.dll]"
    [GeneratedRegex(@"^\s*(?<bytes>[\d,]+)\s+(?<count>[\d,]+)\s+(?<type>.+?)\s+\[[^\]]+\]\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\(Bytes > [\d.]+[KM]?\)")]
    private static partial Regex SizeBucket();
}
