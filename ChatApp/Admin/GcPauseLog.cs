using System.Diagnostics.Tracing;

namespace ChatApp.Admin;

/// <summary>
/// The runtime's most recent stop-the-world pauses — for garbage collection, and any other suspension of every thread:
/// when each began, how long the threads were held (from the runtime's suspend to its restart), the generation
/// collected and the kind of pause. A total pause time says how
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

    /// <summary>
    /// One pause. <see cref="Kind"/>: <c>blocking</c> (a collection that stops the app throughout), <c>background</c>
    /// (the start of a background gen 2 collection), <c>foreground</c> (an ephemeral collection during one),
    /// <c>background-mark</c> (a background collection's own later pause: a suspension that starts no collection) or
    /// <c>other</c> (the runtime suspended threads for something else, such as installing recompiled code; generation -1).
    /// </summary>
    public readonly record struct Pause(DateTime StartedAt, double Milliseconds, int Generation, string Kind)
    {
        public long StartedAtUnixMs => (long)(StartedAt - DateTime.UnixEpoch).TotalMilliseconds;
    }

    // GCSuspendEEBegin's Reason: 1 is a collection, 6 preparing one; anything else is not a GC.
    private const int SuspendForGc = 1, SuspendForGcPrep = 6;

    private readonly Lock gate = new();
    private readonly Pause[] ring = new Pause[Capacity];
    private long recorded;
    // The pause in progress: events arrive in order on the listener's dispatch thread.
    private DateTime suspendedAt;
    private bool forGc;
    private int generation = -1;
    private string kind = "";

    // Runs from the base constructor, for sources that already exist: this class's field initializers have run by then.
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
                suspendedAt = Utc(e.TimeStamp);
                forGc = Payload(e, "Reason") is SuspendForGc or SuspendForGcPrep;
                generation = -1;
                kind = "";
                break;
            case "GCStart_V2" when generation < 0 && suspendedAt != default:
                generation = Payload(e, "Depth");
                // GCStart's Type: 0 non-concurrent (blocking), 1 background, 2 foreground (ephemeral during a background one).
                kind = Payload(e, "Type") switch { 1 => "background", 2 => "foreground", _ => "blocking" };
                break;
            case "GCRestartEEEnd_V1" when suspendedAt != default:
                var (pauseGeneration, pauseKind) = generation >= 0 ? (generation, kind) : forGc ? (2, "background-mark") : (-1, "other");
                Add(new Pause(suspendedAt, (Utc(e.TimeStamp) - suspendedAt).TotalMilliseconds, pauseGeneration, pauseKind));
                suspendedAt = default;
                break;
        }
    }

    private static int Payload(EventWrittenEventArgs e, string name) =>
        e.PayloadNames?.IndexOf(name) is int index and >= 0 ? Convert.ToInt32(e.Payload![index]) : -1;

    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;

    private void Add(Pause pause)
    {
        lock (gate)
        {
            ring[recorded % Capacity] = pause;
            recorded++;
        }
    }

    /// <summary>The pauses that began at or after <paramref name="sinceUnixMs"/> (Unix ms) and are still kept, oldest first.</summary>
    public IReadOnlyList<Pause> Since(long sinceUnixMs)
    {
        var since = DateTime.UnixEpoch.AddMilliseconds(sinceUnixMs);
        lock (gate)
        {
            var kept = (int)Math.Min(recorded, Capacity);
            var pauses = new List<Pause>(kept);
            for (var i = recorded - kept; i < recorded; i++)
            {
                var pause = ring[i % Capacity];
                if (pause.StartedAt >= since)
                {
                    pauses.Add(pause);
                }
            }
            return pauses;
        }
    }
}
