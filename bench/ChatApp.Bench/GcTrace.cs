using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace ChatApp.Bench;

/// <summary>
/// Reads a server trace taken with <c>dotnet-trace</c> (bench/profile/gc-trace) and lists its stop-the-world pauses,
/// every gen 2 collection with the events that followed its start, and, for each pause at least
/// <c>--over</c> ms long, every GC event inside it — which is how the fifth round of issue 16 told a background gen 2
/// from one the runtime ran blocking (bench/FINDINGS.md) — and, for every pause at least <c>--over</c> ms, what its time
/// went to: stopping the threads, marking from the stacks and through the cards, the rest of the collection,
/// restarting the threads, and the bytes each kind of root promoted.
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

        Breakdown(events, pauses, overMs, output);

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

    // GCMarkWithType's Type: the kind of root the promoted bytes were reached from, in the runtime's numbering
    // (a trace shows 0, 1, 2, 3, 6, 7, 6 in that order for each ephemeral collection).
    private static readonly string[] RootKinds =
    [
        "stacks", "finalize queue", "handles", "older generations (cards)", "sized refs", "overflow", "dependent handles",
        "new finalize queue", "steal", "background roots",
    ];

    /// <summary>
    /// For each pause at least <paramref name="overMs"/> long, where its time went: stopping the threads (the suspend
    /// events), marking from the stacks, marking through the cards (old objects that point at young ones), the rest
    /// of the collection after marking (plan, relocate, compact: relocating walks the same cards again), and
    /// restarting (from the restart's start to its end; the released threads may run before it ends); then the
    /// medians over those pauses. Promoted: the bytes each kind of root kept alive.
    /// </summary>
    private static void Breakdown(List<Event> events, List<(double Start, double End)> pauses, double overMs, TextWriter output)
    {
        var rows = new List<double[]>();
        string[] parts = ["pause", "stopping", "stacks", "cards", "after marking", "restarting"];
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pauses of at least {overMs:0} ms, in ms: {string.Join(", ", parts)}; promoted by root kind (KB):"));
        foreach (var (start, end) in pauses.Where(p => p.End - p.Start >= overMs))
        {
            var inside = events.Where(e => e.Ms >= start && e.Ms <= end).ToList();
            Event? First(string name) => inside.FirstOrDefault(e => e.Name == name);
            static double Between(Event? from, Event? to) => from is not null && to is not null && to.Ms >= from.Ms ? to.Ms - from.Ms : double.NaN;
            var marks = inside.Where(e => e.Name == "GC/MarkWithType").ToList();
            var cards = marks.FindIndex(e => Field(e.Payload, "Type") is "3" or "MarkOlder");
            double[] row =
            [
                end - start,
                Between(First("GC/SuspendEEStart"), First("GC/SuspendEEStop")),
                marks.Count > 0 ? Between(First("GC/Start"), marks[0]) : double.NaN,
                cards > 0 ? Between(marks[cards - 1], marks[cards]) : double.NaN,
                marks.Count > 0 ? Between(marks[^1], First("GC/GlobalHeapHistory")) : double.NaN,
                Between(First("GC/RestartEEStart"), inside.LastOrDefault(e => e.Name == "GC/RestartEEStop")),
            ];
            rows.Add(row);
            var depth = First("GC/Start") is { } gcStart ? Field(gcStart.Payload, "Depth") : "?";
            var promoted = marks
                .GroupBy(e => int.TryParse(Field(e.Payload, "Type"), out var kind) && kind < RootKinds.Length ? RootKinds[kind] : Field(e.Payload, "Type"))
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(e => double.TryParse(Field(e.Payload, "Promoted"), CultureInfo.InvariantCulture, out var bytes) ? bytes : 0) / 1024:0}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{start / 1000,9:0.000} s  gen {depth}  {string.Join("  ", row.Select(ms => $"{ms,6:0.0}"))};  {string.Join(", ", promoted)}"));
        }
        if (rows.Count > 0)
        {
            static double Median(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).Order().ToList() is { Count: > 0 } sorted ? sorted[sorted.Count / 2] : double.NaN;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Medians over {rows.Count} pauses (ms): {string.Join(", ", parts.Select((part, i) => $"{part} {Median(rows.Select(r => r[i])):0.0}"))}"));
        }
    }

    private static string Field(string payload, string name) =>
        payload.Split(' ').FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..] ?? "";

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
