using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Chat;

/// <summary>
/// How a tab's room events reach its dispatcher: in order, in batches, and — for rows its row feed already put in the
/// browser — after waiting up to <see cref="ChatOptions.LiveRowsCircuitWait"/> for the rows behind them; and that a
/// reader acting on such a row finds it at once.
/// </summary>
[Trait("Cost", "service")]
public sealed class LiveSubscriptionsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly List<IReadOnlyList<RoomEvent>> batches = [];
    private readonly CarryingRows rows = new();
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private LiveSubscriptions live = null!;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options =>
        {
            options.LiveRowsMembers = 1;
            options.BigRoomMembers = 1;
            options.LiveRowsCircuitWait = Wait;
        }, time, addServices: services => services.AddSingleton<ILiveRows>(rows));
        alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        live = new LiveSubscriptions(chat.Notifier, new RecordingRecipient(bob.Id), time, Wait) { Draw = () => 1 };
        // Rows whose text starts with "carried" stand for rows a feed carried; the dispatcher runs the work at once.
        live.Start(_ => Task.CompletedTask, work => { work(); return Task.CompletedTask; },
            batch => { lock (batches) { batches.Add(batch); } }, [Room.GeneralRoomId],
            roomEvent => roomEvent is MessagePosted { Message.Text: var text } && text.StartsWith("carried", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        live.Dispose();
        await chat.DisposeAsync();
    }

    private List<string> Delivered()
    {
        lock (batches)
        {
            return [.. batches.SelectMany(batch => batch).OfType<MessagePosted>().Select(e => e.Message.Text)];
        }
    }

    private int Batches
    {
        get
        {
            lock (batches)
            {
                return batches.Count;
            }
        }
    }

    [Fact]
    public async Task Rows_that_can_wait_reach_the_tab_together_once_the_wait_is_over()
    {
        await SendAsync("carried 1");
        await SendAsync("carried 2");
        time.Advance(Wait - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Delivered());

        time.Advance(TimeSpan.FromMilliseconds(1));

        await ChatServices.EventuallyAsync(() => Delivered().Count == 2);
        Assert.Equal(["carried 1", "carried 2"], Delivered());
        Assert.Equal(1, Batches);
    }

    [Fact]
    public async Task Each_wait_ends_somewhere_in_its_second_half_so_that_readers_do_not_take_a_row_in_all_at_once()
    {
        // Every reader is offered a row at the same moment: a tab drawing the shortest wait takes it in halfway.
        live.Draw = () => 0;
        await SendAsync("carried, drawn short");
        time.Advance(Wait / 2 - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Delivered());

        time.Advance(TimeSpan.FromMilliseconds(1));

        await ChatServices.EventuallyAsync(() => Delivered().Count == 1);
    }

    [Fact]
    public async Task An_event_that_cannot_wait_takes_the_waiting_rows_with_it_in_order()
    {
        await SendAsync("carried");
        await SendAsync("the reader's own, or a mention");

        await ChatServices.EventuallyAsync(() => Delivered().Count == 2);
        Assert.Equal(["carried", "the reader's own, or a mention"], Delivered());

        // The wait that was started ends with nothing left to hand over, and a row after it waits afresh.
        time.Advance(Wait);
        await SendAsync("carried later");
        Assert.Equal(2, Delivered().Count);
        time.Advance(Wait);
        await ChatServices.EventuallyAsync(() => Delivered().Count == 3);
        Assert.Equal(2, Batches);
    }

    [Fact]
    public async Task Flush_hands_over_waiting_rows_at_once()
    {
        await SendAsync("carried");
        Assert.Empty(Delivered());

        live.Flush();

        Assert.Equal(["carried"], Delivered());
    }

    [Fact]
    public async Task A_carried_row_reaches_the_tab_after_the_wait_without_a_render()
    {
        var (tab, renders, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;

        await SendAsync("carried, quietly");
        Assert.DoesNotContain(tab.Room!.Timeline.Messages, m => m.Text == "carried, quietly");
        time.Advance(Wait);

        await ChatServices.EventuallyAsync(() => tab.Room!.Timeline.Messages.Any(m => m.Text == "carried, quietly"));
        Assert.Equal(tab.Room!.Timeline.LastSequence - 1, tab.NativeThrough);
        lock (renders)
        {
            Assert.DoesNotContain(renders, change => change.HasFlag(OpenRoom.Change.Messages));
        }
        tab.Dispose();
    }

    [Fact]
    public async Task The_reader_acting_on_a_carried_row_the_circuit_has_not_taken_in_finds_it_at_once()
    {
        var (tab, _, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;
        await SendAsync("carried, then clicked");
        Assert.DoesNotContain(tab.Room!.Timeline.Messages, m => m.Text == "carried, then clicked");

        // What the list does when a button of a carried row is clicked (MessageList.OnRowActionAsync).
        tab.TakeOverCarriedRows();

        Assert.Contains(tab.Room!.Timeline.Messages, m => m.Text == "carried, then clicked");
        Assert.Null(tab.NativeThrough);
        tab.Dispose();
    }

    [Fact]
    public async Task Where_the_browser_keeps_the_typing_line_neither_typing_nor_the_row_that_ends_it_renders_the_circuit()
    {
        // #general has three members here; with big rooms from 100 members, people are shown typing in it. The feed
        // tells the browser who is typing (and a row ends its author's typing there): the circuit keeps the state only.
        chat.Options.BigRoomMembers = 100;
        var (tab, renders, browser) = await OpenTabWithFeedAsync();
        await using var _ = browser;

        await chat.Messages.NotifyTypingAsync(alice, Room.GeneralRoomId);
        time.Advance(Wait);
        await ChatServices.EventuallyAsync(() => tab.Room!.Typing.Text is not null);
        await SendAsync("carried, typed");
        time.Advance(Wait);
        await ChatServices.EventuallyAsync(() => tab.Room!.Timeline.Messages.Any(m => m.Text == "carried, typed"));

        Assert.Null(tab.Room!.Typing.Text);
        lock (renders)
        {
            Assert.DoesNotContain(renders, change => change.HasFlag(OpenRoom.Change.Typing) || change.HasFlag(OpenRoom.Change.Messages));
        }

        // Once the feed has ended, the circuit shows who is typing again.
        tab.RowFeed!.End();
        tab.RowFeed = null;
        await chat.Messages.NotifyTypingAsync(await chat.CreateUserAsync("Dan"), Room.GeneralRoomId);
        await ChatServices.EventuallyAsync(() => { lock (renders) { return renders.Any(change => change.HasFlag(OpenRoom.Change.Typing)); } });
        tab.Dispose();
    }

    [Fact]
    public async Task A_feed_whose_browser_never_attached_leaves_the_typing_line_to_the_circuit()
    {
        // A proxy that refuses the feed's socket must not cost the room its "is typing…".
        chat.Options.BigRoomMembers = 100;
        var carol = await chat.CreateUserAsync("Carol");
        var renders = new List<OpenRoom.Change>();
        var tab = await chat.OpenLiveTabAsync(carol, Room.GeneralRoomId, change => { lock (renders) { renders.Add(change); } });
        tab.RowFeed = new LiveRowFeed(new RecordingRecipient(carol.Id), 16);

        await chat.Messages.NotifyTypingAsync(alice, Room.GeneralRoomId);

        await ChatServices.EventuallyAsync(() => { lock (renders) { return renders.Any(change => change.HasFlag(OpenRoom.Change.Typing)); } });
        tab.Dispose();
    }

    /// <summary>Carol's live tab in #general (a big room here) with an attached feed that carries Alice's rows.</summary>
    private async Task<(ChatTab Tab, List<OpenRoom.Change> Renders, IAsyncDisposable Browser)> OpenTabWithFeedAsync()
    {
        var carol = await chat.CreateUserAsync("Carol");
        var renders = new List<OpenRoom.Change>();
        var tab = await chat.OpenLiveTabAsync(carol, Room.GeneralRoomId, change => { lock (renders) { renders.Add(change); } });
        var feed = new LiveRowFeed(new RecordingRecipient(carol.Id), 16);
        var browser = await FeedSockets.AttachAsync(feed);
        tab.RowFeed = feed;
        rows.Carry(carol.Id, feed);
        return (tab, renders, browser);
    }

    private Task SendAsync(string text) => chat.Messages.SendAsync(alice, Room.GeneralRoomId, text, Guid.NewGuid());
}
