using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace ChatApp.Bench;

/// <summary>
/// Reads a server trace taken with <c>dotnet-trace</c> (bench/profile/gc-trace) and lists its stop-the-world pauses,
/// every gen 2 collection with the events that followed its start, and, for each pause at least
/// <c>--over</c> ms long, every GC event inside it — which is how the fifth round of issue 16 told a background gen 2
/// from one the runtime ran blocking (bench/FINDINGS.md).
/// </summary>
public static class GcTrace
{
    private sealed record Event(double Ms, int Thread, string Name, string Payload);

    public static object? Read(string path, double overMs, TextWriter output)
    {
        var events = new List<Event>();
        using (var source = new EventPipeEventSource(path))
        {
            void Keep(TraceEvent e)
            {
                // Allocation ticks and per-object events would drown the collections.
                if (e.EventName is null || e.EventName.Contains("AllocationTick", StringComparison.Ordinal)
                    || e.EventName.Contains("FinalizeObject", StringComparison.Ordinal) || e.EventName.Contains("Pin", StringComparison.Ordinal))
                {
                    return;
                }
                var payload = string.Join(' ', e.PayloadNames.Take(8).Select((name, i) => string.Create(CultureInfo.InvariantCulture, $"{name}={e.PayloadValue(i)}")));
                var prefix = e.ProviderName.Contains("Private", StringComparison.Ordinal) ? "private " : "";
                events.Add(new Event(e.TimeStampRelativeMSec, e.ThreadID, prefix + e.EventName, payload));
            }
            source.Clr.All += Keep;
            new ClrPrivateTraceEventParser(source).All += Keep;
            source.Process();
        }

        var pauses = Pauses(events);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events.Count} GC events, {pauses.Count} pauses; longest: {string.Join(", ", pauses.OrderByDescending(p => p.End - p.Start).Take(10).Select(p => $"{p.End - p.Start:0.0} ms at {p.Start / 1000:0.0} s"))}"));

        output.WriteLine();
        output.WriteLine("Gen 2 collections (creating the background GC thread, a background start, the collection's end):");
        foreach (var e in events.Where(e => IsGen2(e) || e.Name.Contains("ConcurrentThread", StringComparison.Ordinal) || e.Name.EndsWith("BGCStart", StringComparison.Ordinal)))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Ms / 1000,9:0.000} s  t{e.Thread,-7} {e.Name} {e.Payload}"));
        }

        foreach (var (start, end) in pauses.Where(p => p.End - p.Start >= overMs))
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pause of {end - start:0.0} ms at {start / 1000:0.000} s (ms from its start):"));
            foreach (var e in events.Where(e => e.Ms >= start - 1 && e.Ms <= end + 1))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Ms - start,9:0.00}  t{e.Thread,-7} {e.Name} {e.Payload}"));
            }
        }
        return null;
    }

    private static bool IsGen2(Event e) =>
        e.Name is "GC/Start" or "GC/Stop" && e.Payload.Contains("Depth=2", StringComparison.Ordinal);

    /// <summary>From each suspension's start to the restart that ends it.</summary>
    private static List<(double Start, double End)> Pauses(List<Event> events)
    {
        var pauses = new List<(double, double)>();
        double? suspendedAt = null;
        foreach (var e in events)
        {
            if (e.Name == "GC/SuspendEEStart")
            {
                suspendedAt ??= e.Ms;
            }
            else if (e.Name == "GC/RestartEEStop" && suspendedAt is { } start)
            {
                pauses.Add((start, e.Ms));
                suspendedAt = null;
            }
        }
        return pauses;
    }
}
