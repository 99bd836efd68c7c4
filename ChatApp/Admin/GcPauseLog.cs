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
    /// (the start of a background gen 2 collection), <c>background-refused</c> (a gen 2 the runtime began as background
    /// but ran blocking, start to end, in this pause: it does so when it cannot start its background GC thread or commit
    /// the mark array — its start event says "background" either way), <c>foreground</c> (an ephemeral collection during
    /// a background one), <c>background-mark</c> (a background collection's own later pause: a suspension that starts no
    /// collection) or <c>other</c> (the runtime suspended threads for something else, such as installing recompiled code;
    /// generation -1).
    /// </summary>
    public readonly record struct Pause(DateTime StartedAt, double Milliseconds, int Generation, string Kind)
    {
        public long StartedAtUnixMs => (long)(StartedAt - DateTime.UnixEpoch).TotalMilliseconds;
    }

    private readonly Lock gate = new();
    private readonly Pause[] ring = new Pause[Capacity];
    private long recorded;
    // Events arrive in order on the listener's dispatch thread.
    private readonly PauseTracker tracker = new();

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
                tracker.Suspended(Utc(e.TimeStamp), Payload(e, "Reason"));
                break;
            case "GCStart_V2":
                tracker.Started(Payload(e, "Depth"), Payload(e, "Type"));
                break;
            case "GCEnd_V1":
                tracker.Ended(Payload(e, "Depth"));
                break;
            case "GCRestartEEEnd_V1" when tracker.Restarted(Utc(e.TimeStamp)) is { } pause:
                Add(pause);
                break;
        }
    }

    /// <summary>Turns the runtime's suspend, GC start, GC end and restart events into pauses.</summary>
    internal sealed class PauseTracker
    {
        // GCSuspendEEBegin's Reason: 1 is a collection, 6 preparing one; anything else is not a GC.
        private const int SuspendForGc = 1, SuspendForGcPrep = 6;
        // GCStart's Type: 0 non-concurrent (blocking), 1 background, 2 foreground (ephemeral during a background one).
        private const int Background = 1, Foreground = 2;

        private DateTime suspendedAt;
        private bool forGc;
        private int generation = -1;
        private string kind = "";

        public void Suspended(DateTime at, int reason)
        {
            suspendedAt = at;
            forGc = reason is SuspendForGc or SuspendForGcPrep;
            generation = -1;
            kind = "";
        }

        public void Started(int depth, int type)
        {
            // The first collection a pause starts names it (a background gen 2 starts with an ephemeral one).
            if (generation < 0 && suspendedAt != default)
            {
                generation = depth;
                kind = type switch { Background => "background", Foreground => "foreground", _ => "blocking" };
            }
        }

        public void Ended(int depth)
        {
            // A background gen 2 ends long after its starting pause; ending inside it means it ran blocking.
            if (suspendedAt != default && kind == "background" && depth == 2)
            {
                kind = "background-refused";
            }
        }

        public Pause? Restarted(DateTime at)
        {
            if (suspendedAt == default)
            {
                return null;
            }
            var (pauseGeneration, pauseKind) = generation >= 0 ? (generation, kind) : forGc ? (2, "background-mark") : (-1, "other");
            var pause = new Pause(suspendedAt, (at - suspendedAt).TotalMilliseconds, pauseGeneration, pauseKind);
            suspendedAt = default;
            return pause;
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
