using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class ComposerDraftTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task A_draft_survives_a_reload_and_is_gone_once_sent()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Drafter {id}", $"drafter.{id}@example.com");
        var draft = $"half a thought {id}";

        await page.Composer().PressSequentiallyAsync(draft);
        await page.ReloadAsync();

        await Expect(page.Composer()).ToBeEnabledAsync();
        await Expect(page.Composer()).ToHaveValueAsync(draft);

        await page.Composer().PressAsync("Enter");
        await Expect(page.Message(draft)).ToBeVisibleAsync();
        await Expect(page.Composer()).ToHaveValueAsync("");
        // Gone from this browser's storage, not only from the box (a reload restores a kept draft only after the
        // composer is enabled, so the box alone could read empty before the draft came back).
        await page.WaitForFunctionAsync("() => !Object.keys(localStorage).some(key => key.startsWith('chatapp-draft:'))",
            null, new() { Timeout = 5000 });
        await page.ReloadAsync();
        await Expect(page.Composer()).ToBeEnabledAsync();
        await Expect(page.Message(draft)).ToBeVisibleAsync();
        await Expect(page.Composer()).ToHaveValueAsync("");
    }

    [BrowserFact]
    public async Task Each_room_keeps_its_own_draft()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Roomy {id}", $"roomy.{id}@example.com");
        var room = $"drafts-{id}";
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(room);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = room })).ToBeVisibleAsync();

        await page.Composer().PressSequentiallyAsync($"for {room}");
        await page.RoomsNav().GetByRole(AriaRole.Link, new() { Name = "general" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "general" })).ToBeVisibleAsync();
        await Expect(page.Composer()).ToHaveValueAsync("");
        await page.Composer().PressSequentiallyAsync("for general");

        await page.RoomsNav().GetByRole(AriaRole.Link, new() { Name = room }).ClickAsync();
        await Expect(page.Composer()).ToHaveValueAsync($"for {room}");
        await page.ReloadAsync();
        await Expect(page.Composer()).ToHaveValueAsync($"for {room}");
        await page.RoomsNav().GetByRole(AriaRole.Link, new() { Name = "general" }).ClickAsync();
        await Expect(page.Composer()).ToHaveValueAsync("for general");
    }
}
