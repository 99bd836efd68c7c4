using System.Collections.Concurrent;
using ChatApp.Data;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Chat;

/// <summary>
/// What one live message costs a reader's tab, on Kestrel through real circuits (the load driver's Blazor protocol
/// client): once a busy room has filled the reader's live window, each message still sends about one row of HTML.
/// </summary>
[Trait("Cost", "http")]
public sealed class DeliveryCostTests : IAsyncLifetime
{
    // Development, so the auth cookie also travels over plain HTTP to Kestrel.
    private readonly ChatAppFactory app = new() { Environment = "Development" };

    public Task InitializeAsync()
    {
        // One person writes a busy room's worth of messages in a few seconds.
        app.Settings["Chat:RateLimit:Burst"] = "1000";
        app.Settings["Chat:RateLimit:MessagesPerSecond"] = "1000";
        app.StartKestrel();
        driver = new DriverTabs(app);
        return Task.CompletedTask;
    }

    private DriverTabs driver = null!;

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// A writer's and a reader's tab on #general, both live. Sending from a tab still going live now and then used an
    /// event handler id the server had just replaced, and typing is not caught up on: a reader must be live to see it.
    /// </summary>
    private async Task<(CircuitClient Writer, CircuitClient Reader)> OpenLiveTabsAsync()
    {
        var (writer, reader, greeter) = (await OpenAsync("Writer"), await OpenAsync("Reader"), await OpenAsync("Greeter"));
        await LiveAsync(greeter, writer, reader);
        return (writer, reader);

        async Task<CircuitClient> OpenAsync(string name) =>
            await driver.OpenAsync(await driver.RegisterAsync(name, $"{name.ToLowerInvariant()}@example.com"));
    }

    [Fact]
    public async Task Once_the_live_window_is_full_a_message_sends_a_reader_about_one_row_of_html()
    {
        var (writerTab, readerTab) = await OpenLiveTabsAsync();
        const int filling = RoomTimeline.LiveWindow + RoomTimeline.BlockSize;
        await SendAsync(writerTab, readerTab, 1, filling);

        var batches = new ConcurrentQueue<int>();
        readerTab.BatchReceived += batch => batches.Enqueue(batch.Data.Length);
        const int measured = 3 * RoomTimeline.BlockSize;
        await SendAsync(writerTab, readerTab, filling + 1, measured);

        // A row is ~2 KB of HTML (a batch may carry two or three when messages arrive together). Dropping the oldest
        // message one at a time shifted every row of the oldest block and sent them all again: ~16 KB per message on
        // average, batches of up to ~30 KB.
        Assert.True(batches.Max() < 12_000, $"Largest batch {batches.Max()} bytes");
        Assert.True(batches.Sum() / (double)measured < 4_000, $"{batches.Sum() / (double)measured:0} bytes per message");
        Assert.Null(readerTab.Error);
    }

    [Fact]
    public async Task A_writers_text_box_keeps_its_input_handler_through_its_sends_and_the_page_render_of_a_full_live_window()
    {
        // Each new input handler id is a window in which a keystroke already sent can miss its handler: it was three per
        // message (every composer render), and the page renders the whole composer when the live window drops its oldest
        // block (bench/FINDINGS.md, fourteenth and fifteenth rounds). The box must keep one id through all of it.
        var (writerTab, readerTab) = await OpenLiveTabsAsync();

        await SendAsync(writerTab, readerTab, 1, RoomTimeline.LiveWindow + RoomTimeline.BlockSize);

        Assert.Equal(0, writerTab.ComposerInputHandlerReplacements);
    }

    [Fact]
    public async Task A_readers_tab_on_a_room_of_fifty_messages_holds_at_most_23_components()
    {
        // Each component a tab holds costs ~3.5 KB of server memory for as long as the tab is open (two render trees,
        // its state; bench/FINDINGS.md), times every open tab. A room of 50 messages shows four message blocks.
        var newcomer = await OpenNewcomerOnABusyRoomAsync();

        // Was 36: a component for the formatting help, one for the webhooks button that most readers may not use, one
        // per room's unread badge in the sidebar, one per antiforgery field of the account menu's two forms, and an
        // interactive HeadOutlet with its section outlets and PageTitle for the tab's title (DocumentTitle now), the
        // app bar's AuthorizeView and "Jump to…" button, and the room header's search form.
        Assert.True(newcomer.ComponentCount <= 23, $"{newcomer.ComponentCount} components");
        Assert.Null(newcomer.Error);
    }

    [Fact]
    public async Task A_readers_tab_on_a_room_of_fifty_messages_keeps_at_most_1600_render_tree_slots()
    {
        // A frame slot is 40 bytes of server memory for as long as the tab is open, in arrays that double when they fill
        // and are kept twice once a component rendered again (RenderTrees): a component one frame over 64 costs 128 slots
        // more. Measured 1,824 slots (~71 KB) with the page at 190 frames (2 × 256 slots) and the room list column at 41
        // (2 × 64); 1,568 (~61 KB) with the room's header tools a component of their own (RoomTools), no CSS-isolation
        // attribute on the page and the column, the selects' options and static labels one markup frame each, and no
        // cascading value for the rows: the page 97 frames (2 × 128), the column 30 (2 × 32).
        var newcomer = await OpenNewcomerOnABusyRoomAsync();

        string userId;
        using (var scope = app.Services.CreateScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync("newcomer@example.com"))!.Id;
        }
        var slots = RenderTrees.SlotsOfTab(app.Services, userId);
        Assert.True(slots.Values.Sum() <= 1_600, $"{slots.Values.Sum()} slots: {string.Join(", ", slots.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}"))}");
        Assert.Equal(128, slots["MainLayout"]);
        Assert.Equal(256, slots["ChatPage"]);
        Assert.Equal(64, slots["ChatSidebar"]);
        Assert.Null(newcomer.Error);
    }

    [Fact]
    public async Task A_message_clears_its_authors_typing_line_in_the_render_batch_that_shows_it()
    {
        var (writerTab, readerTab) = await OpenLiveTabsAsync();

        var batches = new List<string>();
        var typing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        readerTab.BatchReceived += batch =>
        {
            if (batch.Contains("Writer is typing"u8))
            {
                typing.TrySetResult();
                return;
            }
            lock (batches)
            {
                batches.Add(batch.Contains("first, typed"u8) || batch.Contains("second, right after"u8) ? "a message" : "no message");
            }
            if (batch.Contains("second, right after"u8))
            {
                seen.TrySetResult();
            }
        };

        // The writer types (the reader sees "Writer is typing…"), sends, and sends again at once: anything the first
        // message left to render in the reader's tab comes before the second one.
        await writerTab.TypeAsync("first, typed");
        await typing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (batches)
        {
            batches.Clear();
        }
        await writerTab.SubmitAsync();
        await writerTab.SendMessageAsync("second, right after");
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Each render batch is a round trip per reader: a batch of its own to clear the typing line was a third of
        // what a message cost each reader of a small room.
        lock (batches)
        {
            Assert.All(batches, batch => Assert.Equal("a message", batch));
        }
    }

    /// <summary>A reader who opens #general after 50 messages were sent there, live.</summary>
    private async Task<CircuitClient> OpenNewcomerOnABusyRoomAsync()
    {
        var (writerTab, readerTab) = await OpenLiveTabsAsync();
        await SendAsync(writerTab, readerTab, 1, 50);
        var newcomer = await driver.OpenAsync(await driver.RegisterAsync("Newcomer", "newcomer@example.com"));
        await LiveAsync(writerTab, newcomer);
        return newcomer;
    }

    /// <summary>
    /// Waits until the tabs went live: a message sent after their pages were loaded reaches a tab only once it
    /// subscribed to the room (live, or read when it went live).
    /// </summary>
    private static async Task LiveAsync(CircuitClient greeter, params CircuitClient[] tabs)
    {
        var seen = tabs.Select(tab =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            tab.Watch("hello everyone", _ => done.TrySetResult());
            return done.Task;
        }).ToList();
        await greeter.SendMessageAsync("hello everyone");
        await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task SendAsync(CircuitClient writer, CircuitClient reader, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reader.Watch($"message {i} of", _ => seen.TrySetResult());
            await writer.SendMessageAsync($"message {i} of a busy room");
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
