namespace ChatApp.Chat;

[Trait("Cost", "service")]
public sealed class RoomTimelineTests
{
    private const int Room = 7;

    private static ChatMessage M(long sequence, string text = "") =>
        new(sequence, Room, sequence, "bob", "Bob", text == "" ? $"m{sequence}" : text, DateTime.UnixEpoch.AddMinutes(sequence), null, false);

    /// <summary>A room's stored history, read like MessageService reads it (pages by sequence, oldest first).</summary>
    private sealed class FakeHistory(int count, int pageSize) : IRoomHistory
    {
        public List<ChatMessage> Stored { get; } = [.. Enumerable.Range(1, count).Select(i => M(i))];

        public int Reads { get; private set; }

        public Task<IReadOnlyList<ChatMessage>> GetLatestAsync(string userId, int roomId, CancellationToken cancellationToken = default) =>
            GetBeforeAsync(userId, roomId, long.MaxValue, cancellationToken);

        public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string userId, int roomId, long beforeSequence, CancellationToken cancellationToken = default)
        {
            Reads++;
            var page = Stored.Where(m => m.Sequence < beforeSequence).TakeLast(pageSize).ToList();
            return Task.FromResult<IReadOnlyList<ChatMessage>>(page);
        }

        public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string userId, int roomId, long afterSequence, CancellationToken cancellationToken = default, int take = MessageService.MaxCatchUp)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<ChatMessage>>(Stored.Where(m => m.Sequence > afterSequence).Take(take).ToList());
        }
    }

    private static (RoomTimeline Timeline, FakeHistory History) Create(int stored, int pageSize = 50, int maxPerTab = 300)
    {
        var history = new FakeHistory(stored, pageSize);
        var options = new ChatOptions { HistoryPageSize = pageSize, MaxMessagesPerTab = maxPerTab };
        return (new RoomTimeline(history, "alice", Room, options), history);
    }

    private static long[] Sequences(RoomTimeline timeline) => [.. timeline.Messages.Select(m => m.Sequence)];

    [Fact]
    public async Task Opening_shows_the_newest_page_and_offers_older_only_when_the_page_was_full()
    {
        var (full, _) = Create(120);
        await full.LoadLatestAsync();
        Assert.Equal(Enumerable.Range(71, 50).Select(i => (long)i), Sequences(full));
        Assert.True(full.HasOlder);
        Assert.False(full.HasNewer);

        var (small, _) = Create(10);
        await small.LoadLatestAsync();
        Assert.Equal(10, small.Messages.Count);
        Assert.False(small.HasOlder);
    }

    [Fact]
    public void Merge_orders_by_sequence_replaces_duplicates_and_keeps_the_same_list()
    {
        var (timeline, _) = Create(0);
        var list = timeline.Messages;

        timeline.Merge([M(5), M(2), M(9), M(2, "again"), M(7)]);

        Assert.Equal([2L, 5, 7, 9], Sequences(timeline));
        Assert.Equal("again", timeline.Messages[0].Text);
        Assert.Same(list, timeline.Messages);
    }

    [Fact]
    public async Task Edits_deletes_and_reactions_change_only_what_they_carry()
    {
        var (timeline, _) = Create(3);
        await timeline.LoadLatestAsync();
        var reactions = new[] { new ReactionSummary("👍", ["bob"], ["Bob"]) };
        timeline.Merge([timeline.Messages[0] with { Reactions = reactions }]);

        Assert.True(timeline.Edit(M(1, "fixed") with { EditedAt = DateTime.UnixEpoch }));
        Assert.True(timeline.Delete(2, byModerator: true));
        Assert.True(timeline.SetReactions(3, reactions));
        Assert.False(timeline.Edit(M(99, "not shown")));

        Assert.Equal("fixed", timeline.Messages[0].Text);
        Assert.Same(reactions, timeline.Messages[0].Reactions);
        Assert.Equal(DateTime.UnixEpoch, timeline.Messages[0].EditedAt);
        Assert.True(timeline.Messages[1] is { IsDeleted: true, RemovedByModerator: true, Text: "" });
        Assert.Same(reactions, timeline.Messages[2].Reactions);
    }

    [Fact]
    public async Task A_live_message_past_the_next_sequence_reports_a_gap_and_filling_reads_exactly_what_is_missing()
    {
        var (timeline, history) = Create(5);
        await timeline.LoadLatestAsync();
        history.Stored.AddRange([M(6), M(7), M(8)]);

        var posted = timeline.Add(M(8), follow: true);

        Assert.True(posted is { Shown: true, GapBefore: true });
        Assert.True(timeline.HasGap);
        Assert.True(await timeline.FillGapAsync());
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], Sequences(timeline));
        Assert.False(timeline.HasGap);
        Assert.False(await timeline.FillGapAsync());
        Assert.False(timeline.Add(M(9), follow: true).GapBefore);
    }

    [Fact]
    public async Task Following_the_conversation_keeps_only_the_live_window_and_then_offers_older()
    {
        var (timeline, _) = Create(RoomTimeline.LiveWindow, pageSize: RoomTimeline.LiveWindow + 10);
        await timeline.LoadLatestAsync();
        Assert.False(timeline.HasOlder);

        var first = timeline.Add(M(RoomTimeline.LiveWindow + 1), follow: true);
        var second = timeline.Add(M(RoomTimeline.LiveWindow + 2), follow: true);

        Assert.True(first.OlderDropped);
        Assert.False(second.OlderDropped);
        // The whole oldest block of sequences (1…15: block 0) went at once, not one message per message.
        Assert.Equal(RoomTimeline.BlockSize, timeline.Messages[0].Sequence);
        Assert.Equal(RoomTimeline.LiveWindow + 2 - (RoomTimeline.BlockSize - 1), timeline.Messages.Count);
        Assert.True(timeline.HasOlder);
    }

    [Fact]
    public async Task A_live_window_drops_old_messages_a_whole_block_at_a_time_and_stays_within_its_size()
    {
        var (timeline, _) = Create(RoomTimeline.LiveWindow, pageSize: RoomTimeline.LiveWindow + 10);
        await timeline.LoadLatestAsync();
        var firsts = new HashSet<long>();

        for (var sequence = RoomTimeline.LiveWindow + 1; sequence < RoomTimeline.LiveWindow + 5 * RoomTimeline.BlockSize; sequence++)
        {
            timeline.Add(M(sequence), follow: true);
            Assert.InRange(timeline.Messages.Count, RoomTimeline.LiveWindow - RoomTimeline.BlockSize + 1, RoomTimeline.LiveWindow);
            Assert.Equal(0, timeline.Messages[0].Sequence % RoomTimeline.BlockSize);
            Assert.Equal(sequence, timeline.Messages[^1].Sequence);
            firsts.Add(timeline.Messages[0].Sequence);
        }

        // 79 messages moved the window's start five times (at 101, 116, 132, 148 and 164), each time by a whole block.
        Assert.Equal(5, firsts.Count);
    }

    [Fact]
    public async Task A_reader_scrolled_up_keeps_every_message_and_a_window_short_of_the_newest_does_not_show_live_ones()
    {
        var (timeline, _) = Create(RoomTimeline.LiveWindow, pageSize: RoomTimeline.LiveWindow + 10);
        await timeline.LoadLatestAsync();
        timeline.Add(M(RoomTimeline.LiveWindow + 1), follow: false);
        Assert.Equal(RoomTimeline.LiveWindow + 1, timeline.Messages.Count);

        var (jumped, _) = Create(500);
        await jumped.JumpToAsync(100);
        Assert.True(jumped.HasNewer);
        var posted = jumped.Add(M(501), follow: true);
        Assert.False(posted.Shown);
        Assert.DoesNotContain(jumped.Messages, m => m.Sequence == 501);
    }

    [Fact]
    public async Task Scrolling_back_pages_older_history_and_drops_the_newest_past_the_cap()
    {
        var (timeline, _) = Create(1000, pageSize: 50, maxPerTab: 120);
        await timeline.LoadLatestAsync();
        var anchors = 0;

        while (timeline.HasOlder)
        {
            await timeline.LoadOlderAsync(() => { anchors++; return Task.CompletedTask; });
            Assert.True(timeline.Messages.Count <= 120);
            Assert.False(timeline.HasGap);
        }

        Assert.Equal(1, timeline.Messages[0].Sequence);
        Assert.Equal(120, timeline.Messages.Count);
        Assert.True(timeline.HasNewer);
        Assert.Equal(19, anchors);

        while (timeline.HasNewer)
        {
            await timeline.LoadNewerAsync();
            Assert.True(timeline.Messages.Count <= 120);
            Assert.False(timeline.HasGap);
        }
        Assert.Equal(1000, timeline.LastSequence);
        Assert.True(timeline.HasOlder);
    }

    [Fact]
    public async Task Jumping_loads_a_page_either_side_highlights_and_back_to_latest_reloads()
    {
        var (timeline, history) = Create(500);
        await timeline.LoadLatestAsync();

        await timeline.JumpToAsync(200);

        Assert.Equal(150, timeline.Messages[0].Sequence);
        Assert.Equal(249, timeline.LastSequence);
        Assert.True(timeline.HasOlder);
        Assert.True(timeline.HasNewer);
        Assert.Equal(200, timeline.Highlight);

        var reads = history.Reads;
        await timeline.JumpToAsync(210);
        Assert.Equal(reads, history.Reads);
        Assert.Equal(210, timeline.Highlight);

        await timeline.JumpToLatestAsync();
        Assert.False(timeline.HasNewer);
        Assert.Null(timeline.Highlight);
        Assert.Equal(500, timeline.LastSequence);
    }

    [Fact]
    public async Task Catching_up_reads_what_arrived_since_the_newest_shown_but_not_for_a_window_short_of_it()
    {
        var (timeline, history) = Create(10);
        await timeline.LoadLatestAsync();
        history.Stored.AddRange([M(11), M(12)]);

        Assert.True(await timeline.CatchUpAsync());
        Assert.Equal(12, timeline.LastSequence);
        Assert.False(await timeline.CatchUpAsync());

        var (jumped, jumpedHistory) = Create(500);
        await jumped.JumpToAsync(100);
        var reads = jumpedHistory.Reads;
        Assert.False(await jumped.CatchUpAsync());
        Assert.Equal(reads, jumpedHistory.Reads);
    }
}
