using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatApp.Chat;

/// <summary>
/// The row feed's rules, with real SQLite and a real socket pair: which rows a tab's feed carries, that the fan-out
/// offers a row only to readers who may read it now and before their circuit hears of it, and that a tab renders a
/// carried row only when its feed is gone.
/// </summary>
[Trait("Cost", "service")]
public sealed class LiveRowFeedTests : IAsyncLifetime
{
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options =>
        {
            options.LiveRowsMembers = 1;
            // Alice writes a live window's worth of rows in one test.
            options.RateLimit.Burst = 1000;
        });
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    [Fact]
    public async Task A_feed_carries_others_rows_of_its_room_only_while_its_browser_is_attached()
    {
        var reader = new RecordingRecipient(bob.Id);
        using var feed = new LiveRowFeed(reader, 16);
        feed.Show(Room.GeneralRoomId);
        var others = await SendAsync(alice, "from alice");
        Assert.False(feed.TryCarry(others));

        await using var browser = await FeedSockets.AttachAsync(feed);

        Assert.True(feed.TryCarry(others));
        Assert.True(feed.Carried(others));
        Assert.False(feed.TryCarry(await SendAsync(bob, "bob's own")));
        Assert.False(feed.TryCarry(await SendAsync(alice, "hi @Bob")), "a mention is the reader's own variant of the row");
        feed.Show(0);
        Assert.False(feed.TryCarry(await SendAsync(alice, "after leaving the room")));
        Assert.False(feed.Carried(others));
    }

    [Fact]
    public async Task The_fan_out_offers_a_row_only_to_readers_authorized_now_and_sends_it_before_their_circuit_hears_it()
    {
        var carol = await chat.CreateUserAsync("Carol");
        var room = (await chat.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, room.Id, bob.Id);
        var order = new List<string>();
        var rows = new RecordingRows(order);
        var notifier = new InMemoryChatNotifier(chat.Membership, chat.Get<ChatMetrics>(), NullLogger<InMemoryChatNotifier>.Instance, rows);
        var bobTab = new RecordingRecipient(bob.Id);
        var carolTab = new RecordingRecipient(carol.Id);
        var revokedTab = new RecordingRecipient(bob.Id) { IsActive = false };
        using var bobSubscription = notifier.SubscribeToRoom(room.Id, bobTab, e => { order.Add($"circuit {bobTab.UserId}"); return Task.CompletedTask; });
        using var carolSubscription = notifier.SubscribeToRoom(room.Id, carolTab, _ => Task.CompletedTask);
        using var revokedSubscription = notifier.SubscribeToRoom(room.Id, revokedTab, _ => Task.CompletedTask);
        var message = (await chat.Messages.SendAsync(alice, room.Id, "for the team", Guid.NewGuid())).Value!;

        notifier.Publish(new MessagePosted(message));
        await chat.Rooms.RemoveMemberAsync(room.Id, bob.Id);
        notifier.Publish(new MessagePosted(message with { Sequence = message.Sequence + 1 }));

        // Bob's row is offered (and with it sent) before his circuit hears of the message; after his removal nothing is.
        Assert.Equal([$"offer {bob.Id}", $"circuit {bob.Id}"], order);
        Assert.Equal([bobTab], rows.Offered);
    }

    [Fact]
    public async Task The_fan_out_offers_who_is_typing_only_to_readers_authorized_now_and_before_their_circuit_hears_it()
    {
        var room = (await chat.Rooms.CreateRoomAsync(alice, "typists", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, room.Id, bob.Id);
        var order = new List<string>();
        var rows = new RecordingRows(order);
        var notifier = new InMemoryChatNotifier(chat.Membership, chat.Get<ChatMetrics>(), NullLogger<InMemoryChatNotifier>.Instance, rows);
        var bobTab = new RecordingRecipient(bob.Id);
        var revokedTab = new RecordingRecipient(bob.Id) { IsActive = false };
        var outsider = new RecordingRecipient((await chat.CreateUserAsync("Carol")).Id);
        using var bobSubscription = notifier.SubscribeToRoom(room.Id, bobTab, e => { order.Add($"circuit {bobTab.UserId}"); return Task.CompletedTask; });
        using var revokedSubscription = notifier.SubscribeToRoom(room.Id, revokedTab, _ => Task.CompletedTask);
        using var outsiderSubscription = notifier.SubscribeToRoom(room.Id, outsider, _ => Task.CompletedTask);

        notifier.Publish(new UserTyping(room.Id, alice.Id, "Alice"));
        await chat.Rooms.RemoveMemberAsync(room.Id, bob.Id);
        notifier.Publish(new UserTyping(room.Id, alice.Id, "Alice"));

        Assert.Equal([$"typing {bob.Id}", $"circuit {bob.Id}"], order);
        Assert.Equal([bobTab], rows.Offered);
    }

    [Fact]
    public async Task Rows_reach_the_browser_whole_and_in_order_also_when_the_socket_makes_them_wait()
    {
        // 200 rows of 64 KB are more than the loopback socket buffers take at once: some sends wait for the browser to
        // read, the rows behind them queue, and they must still arrive whole and in the order they were sent.
        using var feed = new LiveRowFeed(new RecordingRecipient(bob.Id), 256);
        var (attached, browser) = await FeedSockets.AttachBrowserAsync(feed);
        await using var _ = attached;
        var reading = ReadFramesAsync(browser, 200);

        for (var i = 0; i < 200; i++)
        {
            feed.Send(Frame(i, 64 * 1024));
        }

        var frames = await reading.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{i}:{64 * 1024}"), frames);
        Assert.True(feed.IsConnected);
    }

    [Fact]
    public async Task A_browser_that_stops_reading_loses_its_feed_once_queueLimit_rows_wait_and_holds_up_no_send()
    {
        // The fan-out sends to every reader from one loop: a tab whose browser reads nothing must neither stop that
        // loop nor make the server keep its rows without bound. Its feed ends and its circuit renders instead.
        using var feed = new LiveRowFeed(new RecordingRecipient(bob.Id), 8);
        var ended = new TaskCompletionSource();
        feed.Ended += () => ended.TrySetResult();
        var (attached, _) = await FeedSockets.AttachBrowserAsync(feed);
        await using var __ = attached;

        var sent = 0;
        while (feed.IsConnected && sent < 2_000)
        {
            feed.Send(Frame(sent++, 64 * 1024)); // 128 MB in all: far beyond what the socket buffers hold
        }

        Assert.False(feed.IsConnected, $"the feed still ran after {sent} rows of 64 KB that nobody read");
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static ReadOnlyMemory<byte> Frame(int index, int size)
    {
        var frame = new byte[size];
        frame.AsSpan().Fill((byte)'x');
        System.Text.Encoding.ASCII.GetBytes($"{index}\n").CopyTo(frame, 0);
        return frame;
    }

    /// <summary>The browser's side: reads <paramref name="count"/> text messages and names each by its index and length.</summary>
    private static async Task<List<string>> ReadFramesAsync(System.Net.WebSockets.WebSocket browser, int count)
    {
        var frames = new List<string>();
        var buffer = new byte[16 * 1024];
        while (frames.Count < count)
        {
            (buffer, var length, _) = await LoadDriver.WebSocketMessages.ReceiveAsync(browser, buffer);
            var index = System.Text.Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)'\n', 0, length));
            frames.Add($"{index}:{length}");
        }
        return frames;
    }

    [Fact]
    public async Task A_tab_renders_a_carried_row_only_once_its_feed_has_ended()
    {
        var (tab, feed, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;
        Assert.Equal(Room.GeneralRoomId, feed.RoomId);

        var carried = await SendAsync(alice, "carried");
        Assert.True(feed.TryCarry(carried));
        Assert.Equal(OpenRoom.Change.None, tab.Apply(new MessagePosted(carried)) & OpenRoom.Change.Messages);
        Assert.Equal(carried.Sequence - 1, tab.NativeThrough);

        feed.End();
        var after = await SendAsync(alice, "after the feed ended");
        Assert.True(tab.Apply(new MessagePosted(after)).HasFlag(OpenRoom.Change.Messages));
        Assert.Null(tab.NativeThrough);
    }

    [Fact]
    public async Task The_list_takes_carried_rows_over_when_one_changes_or_a_row_was_not_carried_and_trims_every_live_window()
    {
        var (tab, feed, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;
        var first = await CarryAsync(tab, feed, "first carried");

        // A reaction on a carried row: the list renders the carried rows itself to show it.
        Assert.True(tab.Apply(new ReactionsChanged(first.RoomId, first.Id, first.Sequence, [new ReactionSummary("👍", [alice.Id], ["Alice"])])).HasFlag(OpenRoom.Change.Messages));
        Assert.Null(tab.NativeThrough);

        await CarryAsync(tab, feed, "carried again");
        var mention = await SendAsync(alice, "@Bob look");
        Assert.False(feed.TryCarry(mention));
        Assert.True(tab.Apply(new MessagePosted(mention)).HasFlag(OpenRoom.Change.Messages));
        Assert.Null(tab.NativeThrough);

        // Within every live window of carried rows the list renders once, to let go of what the window dropped, without
        // taking the carried rows over. (Tabs start counting at random in the window; this one at 0.)
        var renders = 0;
        ChatMessage? start = null;
        for (var i = 0; i < RoomTimeline.LiveWindow; i++)
        {
            var message = await SendAsync(alice, $"carried {i}");
            Assert.True(feed.TryCarry(message));
            start ??= message;
            renders += tab.Apply(new MessagePosted(message)).HasFlag(OpenRoom.Change.Messages) ? 1 : 0;
        }
        Assert.Equal(1, renders);
        Assert.Equal(start!.Sequence - 1, tab.NativeThrough);
    }

    [Fact]
    public async Task A_carried_row_that_arrives_after_the_readers_own_newer_row_is_rendered_by_the_list()
    {
        // Seen in S2 at 1,000 readers: the reader's own message was shown at once, a carried row from just before it
        // arrived afterwards, and the list stopped before it — hiding the reader's own row, which no feed carries.
        var (tab, feed, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;
        var older = await SendAsync(alice, "older, carried");
        Assert.True(feed.TryCarry(older));
        var mine = await SendAsync(bob, "mine, sent just after");
        tab.Sent(mine);

        Assert.True(tab.Apply(new MessagePosted(older)).HasFlag(OpenRoom.Change.Messages));
        Assert.Null(tab.NativeThrough);
    }

    [Fact]
    public async Task The_readers_own_row_arriving_after_a_newer_carried_row_is_rendered_by_the_list()
    {
        // Seen in S2 at 1,000 readers (two deliveries lost): the feed remembered only the newest row it carried, so the
        // reader's own row, applied after a newer carried one, counted as carried and was never rendered.
        var (tab, feed, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;
        var mine = await SendAsync(bob, "mine");
        Assert.False(feed.TryCarry(mine));
        var later = await SendAsync(alice, "later, carried");
        Assert.True(feed.TryCarry(later));

        tab.Apply(new MessagePosted(later));
        Assert.True(tab.Apply(new MessagePosted(mine)).HasFlag(OpenRoom.Change.Messages));
        Assert.Null(tab.NativeThrough);
    }

    [Fact]
    public async Task Anything_the_timeline_reads_from_the_database_makes_the_list_take_the_carried_rows_over()
    {
        var (tab, feed, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;
        var carried = await CarryAsync(tab, feed, "carried");
        Assert.NotNull(tab.NativeThrough);

        // A catch-up (after a reconnect) reads what the tab missed from the database: no feed carried it.
        await SendAsync(alice, "missed while away");
        Assert.True(await tab.CatchUpAsync());

        Assert.Null(tab.NativeThrough);
        Assert.Contains(tab.Room!.Timeline.Messages, m => m.Sequence > carried.Sequence);
    }

    [Fact]
    public async Task Only_rooms_with_more_members_than_Chat_LiveRowsMembers_use_row_feeds()
    {
        // Chat:LiveRowsMembers is 1 here: a room of one has no feed, a room of two has.
        var room = (await chat.Rooms.CreateRoomAsync(alice, "pair", RoomKind.Private, null)).Value!;
        var tab = chat.CreateTab(new RecordingRecipient(alice.Id));
        Assert.True(await tab.SignInAsync(alice.Id));
        await tab.OpenAsync((await chat.Membership.GetVisibleRoomAsync(alice.Id, room.Id))!);
        Assert.Equal(0, tab.RowFeedRoomId);

        await chat.Rooms.InviteAsync(alice, room.Id, bob.Id);
        await tab.OpenAsync((await chat.Membership.GetVisibleRoomAsync(alice.Id, room.Id))!);

        Assert.Equal(room.Id, tab.RowFeedRoomId);
    }

    private async Task<ChatMessage> CarryAsync(ChatTab tab, LiveRowFeed feed, string text)
    {
        var message = await SendAsync(alice, text);
        Assert.True(feed.TryCarry(message));
        Assert.False(tab.Apply(new MessagePosted(message)).HasFlag(OpenRoom.Change.Messages));
        return message;
    }

    private async Task<(ChatTab Tab, LiveRowFeed Feed, IAsyncDisposable Browser)> OpenTabWithFeedAsync()
    {
        var reader = new RecordingRecipient(bob.Id);
        var tab = chat.CreateTab(reader);
        Assert.True(await tab.SignInAsync(bob.Id));
        await tab.OpenAsync((await chat.Membership.GetVisibleRoomAsync(bob.Id, Room.GeneralRoomId))!);
        var feed = new LiveRowFeed(reader, 16);
        var browser = await FeedSockets.AttachAsync(feed);
        tab.TrimStart = _ => 0;
        tab.RowFeed = feed;
        return (tab, feed, browser);
    }

    private async Task<ChatMessage> SendAsync(ChatUser author, string text) =>
        (await chat.Messages.SendAsync(author, Room.GeneralRoomId, text, Guid.NewGuid())).Value!;

    private sealed class RecordingRows(List<string> order) : ILiveRows
    {
        private readonly List<string> order = order;

        public List<IChatRecipient> Offered { get; } = [];

        public ILiveRowFanOut? Begin(ChatMessage message) => new Offers(this, "offer");

        public ILiveRowFanOut? Begin(UserTyping typing) => new Offers(this, "typing");

        private sealed class Offers(RecordingRows owner, string kind) : ILiveRowFanOut
        {
            public void Offer(IChatRecipient recipient)
            {
                owner.Offered.Add(recipient);
                owner.order.Add($"{kind} {recipient.UserId}");
            }
        }
    }
}
