namespace ChatApp.Admin;

/// <summary>
/// The pause kinds from the runtime's event sequences, as a traced S3 run showed them (bench/FINDINGS.md, fifth round):
/// the runtime fires "GCStart, background" before it knows whether it can run the collection in the background.
/// </summary>
public sealed class GcPauseTrackerTests
{
    private static readonly DateTime At = new(2026, 12, 6, 5, 0, 0, DateTimeKind.Utc);

    // GCSuspendEEBegin reason 1 (for a GC); GCStart type 0 blocking, 1 background, 2 foreground.
    private const int ForGc = 1, Blocking = 0, Background = 1, Foreground = 2;

    [Fact]
    public void A_background_gen2_that_starts_with_an_ephemeral_collection_is_the_start_of_a_background_collection()
    {
        var tracker = new GcPauseLog.PauseTracker();
        tracker.Suspended(At, ForGc);
        tracker.Started(2, Background);
        tracker.Started(1, Blocking);
        tracker.Ended(1);

        var pause = tracker.Restarted(At.AddMilliseconds(25));

        Assert.Equal(new GcPauseLog.Pause(At, 25, 2, "background"), pause);
    }

    [Fact]
    public void A_background_gen2_that_ends_inside_its_own_pause_ran_blocking_and_says_so()
    {
        var tracker = new GcPauseLog.PauseTracker();
        tracker.Suspended(At, ForGc);
        tracker.Started(2, Background);
        tracker.Ended(2);

        var pause = tracker.Restarted(At.AddMilliseconds(391));

        Assert.Equal(new GcPauseLog.Pause(At, 391, 2, "background-refused"), pause);
    }

    [Fact]
    public void A_background_collection_ending_later_changes_neither_its_start_nor_the_next_pause()
    {
        var tracker = new GcPauseLog.PauseTracker();
        tracker.Suspended(At, ForGc);
        tracker.Started(2, Background);
        var start = tracker.Restarted(At.AddMilliseconds(20));
        // The background collection ends concurrently, outside any pause, then an ephemeral one runs.
        tracker.Ended(2);
        tracker.Suspended(At.AddSeconds(5), ForGc);
        tracker.Started(0, Foreground);
        tracker.Ended(0);
        var next = tracker.Restarted(At.AddSeconds(5).AddMilliseconds(8));

        Assert.Equal("background", start?.Kind);
        Assert.Equal(new GcPauseLog.Pause(At.AddSeconds(5), 8, 0, "foreground"), next);
    }

    [Fact]
    public void A_blocking_collection_and_a_suspension_for_something_else_keep_their_kinds()
    {
        var tracker = new GcPauseLog.PauseTracker();
        tracker.Suspended(At, ForGc);
        tracker.Started(2, Blocking);
        tracker.Ended(2);
        var blocking = tracker.Restarted(At.AddMilliseconds(300));
        tracker.Suspended(At.AddSeconds(1), 3);
        var other = tracker.Restarted(At.AddSeconds(1).AddMilliseconds(1));

        Assert.Equal(new GcPauseLog.Pause(At, 300, 2, "blocking"), blocking);
        Assert.Equal(new GcPauseLog.Pause(At.AddSeconds(1), 1, -1, "other"), other);
        Assert.Null(tracker.Restarted(At.AddSeconds(2)));
    }
}
