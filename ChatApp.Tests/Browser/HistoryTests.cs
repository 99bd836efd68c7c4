using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class HistoryTests(BrowserFixture fixture)
{
    private const int Seeded = 120;

    /// <summary>A public room holding <see cref="Seeded"/> messages by the given user, written straight to the database.</summary>
    private async Task<string> SeedRoomAsync(string email, string id, int count = Seeded)
    {
        using var scope = fixture.App.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        var rooms = scope.ServiceProvider.GetRequiredService<ChatApp.Chat.RoomService>();
        var room = (await rooms.CreateRoomAsync(new ChatApp.Chat.ChatUser(user!.Id, user.DisplayName), $"history-{id}", RoomKind.Public, null)).Value!;
        await using var db = fixture.App.CreateDbContext();
        var start = DateTime.UtcNow.AddMinutes(-count);
        for (var i = 1; i <= count; i++)
        {
            db.Messages.Add(new Message { RoomId = room.Id, Sequence = i, AuthorId = user.Id, ClientId = Guid.NewGuid(), Text = $"history {id} #{i:000}", CreatedAt = start.AddMinutes(i) });
        }
        var stored = await db.Rooms.FindAsync(room.Id);
        stored!.LastSequence = count;
        await db.SaveChangesAsync();
        return room.Name;
    }

    private static Task<IReadOnlyList<string>> TextsAsync(IPage page) =>
        page.MessageLog().Locator("article .message-text").AllInnerTextsAsync();

    [BrowserFact]
    public async Task On_a_phone_a_long_conversation_stays_below_the_room_header()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.RegisterAsync($"Reader {id}", $"reader.{id}@example.com");
        var room = await SeedRoomAsync($"reader.{id}@example.com", id);

        await page.GotoAsync($"/chat/{room}");
        await page.WaitForCircuitAsync();
        await Expect(page.Message($"#{Seeded:000}")).ToBeInViewportAsync();

        // The header's tools wrap to a second row on a phone; fifty messages below once squeezed the header, and its
        // tools spilled under the log, covered by messages.
        var leave = await page.GetByRole(AriaRole.Button, new() { Name = "Leave" }).BoundingBoxAsync();
        var log = await page.MessageLog().BoundingBoxAsync();
        Assert.True(leave!.Y + leave.Height <= log!.Y + 1, $"The Leave button ends at {leave.Y + leave.Height}, the log starts at {log.Y}");
    }

    [BrowserFact]
    public async Task Scrolling_up_loads_older_pages_anchored_without_gaps_or_duplicates()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Historian {id}", $"historian.{id}@example.com");
        var room = await SeedRoomAsync($"historian.{id}@example.com", id);

        await page.GotoAsync($"/chat/{room}");
        await page.WaitForCircuitAsync();
        await Expect(page.Message($"#{Seeded:000}")).ToBeInViewportAsync();
        Assert.Equal(50, (await TextsAsync(page)).Count);

        var oldestShown = page.Message($"history {id} #071");
        await page.MessageLog().EvaluateAsync("log => log.scrollTop = 0");
        await Expect(page.MessageLog().Locator("article")).ToHaveCountAsync(100);
        // The message that was at the top stays in view instead of jumping away.
        await Expect(oldestShown).ToBeInViewportAsync();

        await page.MessageLog().EvaluateAsync("log => log.scrollTop = 0");
        await Expect(page.MessageLog().Locator("article")).ToHaveCountAsync(Seeded);
        await Expect(page.GetByText("This is the very beginning of")).ToBeVisibleAsync();

        var texts = await TextsAsync(page);
        Assert.Equal(Enumerable.Range(1, Seeded).Select(i => $"history {id} #{i:000}"), texts);
    }

    [BrowserFact]
    public async Task A_reader_scrolled_up_gets_a_new_messages_pill_instead_of_a_jump()
    {
        var id = BrowserFixture.Unique();
        var reader = await fixture.NewUserPageAsync();
        await reader.RegisterAsync($"Reader {id}", $"reader.{id}@example.com");
        var room = await SeedRoomAsync($"reader.{id}@example.com", id);
        var writer = await fixture.NewUserPageAsync();
        await writer.RegisterAsync($"Writer {id}", $"writer.{id}@example.com");
        await writer.GotoAsync($"/chat/{room}");
        await writer.WaitForCircuitAsync();
        await writer.GetByRole(AriaRole.Button, new() { Name = $"Join #{room}" }).ClickAsync();

        await reader.GotoAsync($"/chat/{room}");
        await reader.WaitForCircuitAsync();
        await Expect(reader.Message($"#{Seeded:000}")).ToBeInViewportAsync();
        await reader.MessageLog().EvaluateAsync("log => log.scrollTop = log.scrollHeight / 2");
        await Expect(reader.Message($"#{Seeded:000}")).Not.ToBeInViewportAsync();

        await writer.SendAsync($"fresh news {id}");

        var pill = reader.GetByRole(AriaRole.Button, new() { Name = "1 new message" });
        await Expect(pill).ToBeVisibleAsync();
        await Expect(reader.Message($"fresh news {id}")).Not.ToBeInViewportAsync();
        await pill.ClickAsync();
        await Expect(reader.Message($"fresh news {id}")).ToBeInViewportAsync();
        await Expect(pill).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task A_tab_holds_at_most_the_configured_messages_however_far_it_scrolls_and_loads_them_again_on_the_way_back()
    {
        const int count = 400;
        var options = fixture.App.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatApp.Chat.ChatOptions>>().Value;
        var (cap, pageSize) = (options.MaxMessagesPerTab, options.HistoryPageSize);
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Scroller {id}", $"scroller.{id}@example.com");
        var room = await SeedRoomAsync($"scroller.{id}@example.com", id, count);
        await page.GotoAsync($"/chat/{room}");
        await page.WaitForCircuitAsync();
        await Expect(page.Message($"#{count:000}")).ToBeInViewportAsync();

        // Up to the very first message, a page at a time: the newest ones are dropped past the cap, and the message
        // that was at the top stays in view (anchored to it, not to the bottom, which moves too).
        var texts = page.MessageLog().Locator("article .message-text");
        var pages = count / pageSize;
        for (var loaded = 0; await page.Message($"history {id} #001").CountAsync() == 0; loaded++)
        {
            Assert.True(loaded < pages, $"Scrolling up loaded more than the room's {pages} pages");
            var top = await texts.First.InnerTextAsync();
            await page.MessageLog().EvaluateAsync("log => log.scrollTop = 0");
            await Expect(texts.First).Not.ToHaveTextAsync(top);
            await Expect(page.Message(top)).ToBeInViewportAsync();
            Assert.True(await texts.CountAsync() <= cap);
        }
        // The last page was a full one: one more look up finds nothing older.
        await page.MessageLog().EvaluateAsync("log => log.scrollTop = 0");
        await Expect(page.GetByText("This is the very beginning of")).ToBeVisibleAsync();
        await Expect(page.MessageLog().Locator("article")).ToHaveCountAsync(cap);
        await Expect(page.Message($"history {id} #{count:000}")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load newer messages" })).ToBeAttachedAsync();

        // Back down to the newest: they load again, the oldest are dropped.
        for (var loaded = 0; await page.Message($"history {id} #{count:000}").CountAsync() == 0; loaded++)
        {
            Assert.True(loaded < pages, $"Scrolling down loaded more than the room's {pages} pages");
            var bottom = await texts.Last.InnerTextAsync();
            await page.MessageLog().EvaluateAsync("log => log.scrollTop = log.scrollHeight");
            await Expect(texts.Last).Not.ToHaveTextAsync(bottom);
            Assert.True(await texts.CountAsync() <= cap);
        }
        await Expect(page.Message($"history {id} #001")).ToHaveCountAsync(0);
        var shown = await TextsAsync(page);
        Assert.Equal(Enumerable.Range(count - shown.Count + 1, shown.Count).Select(i => $"history {id} #{i:000}"), shown);
    }

    [BrowserFact]
    public async Task Opening_the_first_message_by_link_loads_one_page_around_it_not_the_whole_room()
    {
        const int count = 400;
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Linker {id}", $"linker.{id}@example.com");
        var room = await SeedRoomAsync($"linker.{id}@example.com", id, count);

        await page.GotoAsync($"/chat/{room}?at=1");
        await page.WaitForCircuitAsync();

        await Expect(page.Message($"history {id} #001")).ToBeVisibleAsync();
        await Expect(page.MessageLog().Locator("article")).ToHaveCountAsync(50);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load newer messages" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Load newer messages" }).ClickAsync();
        await Expect(page.Message($"history {id} #100")).ToBeAttachedAsync();
        // A page at a time: the click scrolls the button into view, and reaching the bottom may itself load the page
        // after it first (seen in a full run: 150), but never the whole room.
        Assert.Contains(await page.MessageLog().Locator("article").CountAsync(), new[] { 100, 150 });
    }
}
