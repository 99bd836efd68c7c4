using System.Diagnostics.Tracing;

namespace ChatApp.Admin;

/// <summary>
/// The runtime's most recent stop-the-world pauses for garbage collection: when each began, how long every thread
/// was held (from the collector's suspend to its restart) and the generation collected. A total pause time says how
/// much of a period was lost; this says whether one long pause or many short ones lost it, which is what decides a
/// latency tail (issue 16, S3). Fed by the runtime's own GC events (<c>Microsoft-Windows-DotNETRuntime</c>, GC
/// keyword, informational: a few events per collection) and kept in a fixed ring, so it costs nothing that grows.
/// </summary>
public sealed class GcPauseLog : EventListener
{
    /// <summary>Pauses kept: at ~60 collections a minute under load, the last half hour or more.</summary>
    public const int Capacity = 2048;

    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    public readonly record struct Pause(DateTime StartedAt, double Milliseconds, int Generation);

    private readonly Lock gate = new();
    private Pause[]? ring;
    private long recorded;
    // The pause in progress: events arrive in order on the listener's dispatch thread.
    private DateTime suspendedAt;
    private int generation = -1;

    // Runs from the base constructor, for sources that already exist, before this class's fields are initialized:
    // it must touch none of them.
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeSource)
        {
            EnableEvents(source, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        switch (e.EventName)
        {
            case "GCSuspendEEBegin_V1":
                suspendedAt = e.TimeStamp;
                generation = -1;
                break;
            case "GCStart_V2" when generation < 0 && suspendedAt != default:
                generation = e.PayloadNames?.IndexOf("Depth") is int depth and >= 0 ? Convert.ToInt32(e.Payload![depth]) : -1;
                break;
            case "GCRestartEEEnd_V1" when suspendedAt != default:
                // A suspension with no collection starting in it is one of a background (gen 2) collection's own pauses.
                Add(new Pause(suspendedAt, (e.TimeStamp - suspendedAt).TotalMilliseconds, generation < 0 ? 2 : generation));
                suspendedAt = default;
                break;
        }
    }

    private void Add(Pause pause)
    {
        lock (gate)
        {
            ring ??= new Pause[Capacity];
            ring[recorded % Capacity] = pause;
            recorded++;
        }
    }

    /// <summary>The pauses that began at or after <paramref name="since"/> and are still kept, oldest first.</summary>
    public IReadOnlyList<Pause> Since(DateTime since)
    {
        lock (gate)
        {
            var kept = (int)Math.Min(recorded, Capacity);
            var pauses = new List<Pause>(kept);
            for (var i = recorded - kept; i < recorded; i++)
            {
                var pause = ring![i % Capacity];
                if (pause.StartedAt >= since)
                {
                    pauses.Add(pause);
                }
            }
            return pauses;
        }
    }
}
