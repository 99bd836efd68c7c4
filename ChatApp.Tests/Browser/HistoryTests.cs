using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class HistoryTests(BrowserFixture fixture)
{
    private const int Seeded = 120;

    /// <summary>A public room holding <see cref="Seeded"/> messages by the given user, written straight to the database.</summary>
    private async Task<string> SeedRoomAsync(string email, string id)
    {
        using var scope = fixture.App.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        var rooms = scope.ServiceProvider.GetRequiredService<ChatApp.Chat.RoomService>();
        var room = (await rooms.CreateRoomAsync(new ChatApp.Chat.ChatUser(user!.Id, user.DisplayName), $"history-{id}", RoomKind.Public, null)).Value!;
        await using var db = fixture.App.CreateDbContext();
        var start = DateTime.UtcNow.AddMinutes(-Seeded);
        for (var i = 1; i <= Seeded; i++)
        {
            db.Messages.Add(new Message { RoomId = room.Id, Sequence = i, AuthorId = user.Id, ClientId = Guid.NewGuid(), Text = $"history {id} #{i:000}", CreatedAt = start.AddMinutes(i) });
        }
        var stored = await db.Rooms.FindAsync(room.Id);
        stored!.LastSequence = Seeded;
        await db.SaveChangesAsync();
        return room.Name;
    }

    private static Task<IReadOnlyList<string>> TextsAsync(IPage page) =>
        page.MessageLog().Locator("article .message-text").AllInnerTextsAsync();

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
}
