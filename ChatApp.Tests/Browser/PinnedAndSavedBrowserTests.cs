using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>
/// Two people in a room of their own: one pins a message, the other sees the pin live and opens the Pinned panel;
/// saving shows only to the one who saved, in the Saved panel. On a wide screen and on a phone.
/// </summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class PinnedAndSavedBrowserTests(BrowserFixture fixture)
{
    /// <summary>Screenshots for people to look at; the assertions do not read them.</summary>
    private static readonly string Shots = Environment.GetEnvironmentVariable("PINS_SHOTS") is { Length: > 0 } shots ? shots : Path.Combine(Path.GetTempPath(), "pins-shots");

    private async Task<(IPage Alice, IPage Bob, string Room)> TwoPeopleInARoomAsync(string id, int width, int height)
    {
        var alice = await fixture.NewUserPageAsync();
        await alice.SetViewportSizeAsync(width, height);
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync();
        await bob.SetViewportSizeAsync(width, height);
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");

        var room = $"pins-{id}";
        await alice.GotoAsync("/chat/general");
        await alice.WaitForCircuitAsync();
        if (width < 600)
        {
            await alice.GetByRole(AriaRole.Button, new() { Name = "Rooms and direct messages" }).ClickAsync();
        }
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(room);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(alice).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chat/{room}$"));

        await bob.GotoAsync($"/chat/{room}");
        await bob.GetByRole(AriaRole.Button, new() { Name = $"Join #{room}" }).ClickAsync();
        await Expect(bob.Composer()).ToBeVisibleAsync();
        return (alice, bob, room);
    }

    private static async Task ChooseAsync(IPage page, string message, string action)
    {
        await page.Message(message).HoverAsync();
        await page.Message(message).GetByRole(AriaRole.Button, new() { Name = "More actions" }).ClickAsync();
        await page.Message(message).GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
    }

    private static ILocator Panel(IPage page, string name) => page.GetByRole(AriaRole.Complementary, new() { Name = name, Exact = true });

    [BrowserTheory]
    [InlineData(1280, 800, "desktop")]
    [InlineData(390, 844, "phone")]
    public async Task A_pin_shows_live_to_the_other_person_and_saving_is_private(int width, int height, string shot)
    {
        var id = BrowserFixture.Unique();
        var (alice, bob, room) = await TwoPeopleInARoomAsync(id, width, height);
        await alice.SendAsync($"agenda {id}");
        await bob.SendAsync($"notes {id}");
        await Expect(alice.Message($"notes {id}")).ToBeVisibleAsync();

        await ChooseAsync(alice, $"agenda {id}", "Pin to room");
        await Expect(bob.Message($"agenda {id}").Locator(".pinned-mark")).ToHaveTextAsync("Pinned");
        await Expect(alice.Message($"agenda {id}").Locator(".pinned-mark")).ToBeVisibleAsync();

        await bob.GetByRole(AriaRole.Button, new() { Name = "Pinned messages" }).ClickAsync();
        var pinned = Panel(bob, "Pinned");
        await Expect(pinned).ToBeInViewportAsync();
        await Expect(pinned.Locator("a.hit")).ToHaveCountAsync(1);
        await Expect(pinned.Locator("a.hit")).ToContainTextAsync($"agenda {id}");
        await Expect(pinned).ToContainTextAsync($"Pinned by Alice {id}");
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"pins-{shot}.png") });

        // A second pin reaches the open panel live, newest first.
        await ChooseAsync(alice, $"notes {id}", "Pin to room");
        await Expect(pinned.Locator("a.hit")).ToHaveCountAsync(2);
        await Expect(pinned.Locator("a.hit").First).ToContainTextAsync($"notes {id}");

        // Jumping from the panel lands on the message in the timeline (on a phone the drawer gets out of the way).
        await pinned.Locator("a.hit", new() { HasText = $"agenda {id}" }).ClickAsync();
        await Expect(bob).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chat/{room}\\?at=\\d+$"));
        await Expect(bob.Message($"agenda {id}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("highlighted"));
        await Expect(bob.Message($"agenda {id}")).ToBeInViewportAsync();

        // Unpinning reaches the other person live too.
        await ChooseAsync(alice, $"notes {id}", "Unpin");
        await Expect(bob.Message($"notes {id}").Locator(".pinned-mark")).ToHaveCountAsync(0);

        // Saving is private: Bob's mark and list, not Alice's.
        await ChooseAsync(bob, $"agenda {id}", "Save");
        await Expect(bob.Message($"agenda {id}").Locator(".saved-mark")).ToHaveTextAsync("Saved");
        await Expect(alice.Message($"agenda {id}").Locator(".saved-mark")).ToHaveCountAsync(0);
        if (width < 600)
        {
            await bob.GetByRole(AriaRole.Button, new() { Name = "Rooms and direct messages" }).ClickAsync();
        }
        await bob.GetByRole(AriaRole.Button, new() { Name = "Saved", Exact = true }).ClickAsync();
        var saved = Panel(bob, "Saved");
        await Expect(saved).ToBeInViewportAsync();
        await Expect(saved.Locator("a.hit")).ToContainTextAsync($"agenda {id}");
        await Expect(saved.Locator("a.hit")).ToContainTextAsync($"#{room}");
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"saved-{shot}.png") });

        await saved.GetByRole(AriaRole.Button, new() { Name = $"Unsave Alice {id}'s message" }).ClickAsync();
        await Expect(saved).ToContainTextAsync("Nothing saved yet");
        await Expect(bob.Message($"agenda {id}").Locator(".saved-mark")).ToHaveCountAsync(0);
    }
}
