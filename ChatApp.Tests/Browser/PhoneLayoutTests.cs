using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>
/// At 390×844 the room list is a drawer from the app bar, the side panel opens on demand, and nothing scrolls
/// sideways; on a wide screen the room list is docked and the same toggle hides it.
/// </summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class PhoneLayoutTests(BrowserFixture fixture)
{
    private async Task<IPage> PhoneAsync(string name, string id)
    {
        var page = await fixture.NewUserPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.RegisterAsync($"{name} {id}", $"{name.ToLowerInvariant()}.{id}@example.com");
        return page;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth && document.querySelector('main').scrollWidth <= document.querySelector('main').clientWidth"),
            "The page scrolls sideways at phone width.");

    [BrowserFact]
    public async Task On_a_phone_people_open_the_drawer_switch_rooms_send_react_and_search()
    {
        var id = BrowserFixture.Unique();
        var alice = await PhoneAsync("Alice", id);
        var bob = await PhoneAsync("Bob", id);
        var rooms = alice.GetByRole(AriaRole.Button, new() { Name = "Rooms and direct messages" });

        // The room list starts closed, out of the way of the conversation.
        await Expect(alice.RoomsNav()).Not.ToBeInViewportAsync();
        await Expect(alice.Composer()).ToBeInViewportAsync();
        await AssertNoSidewaysScrollAsync(alice);

        // The toggle says what it did; Escape closes the drawer again.
        await rooms.ClickAsync();
        await Expect(alice.RoomsNav()).ToBeInViewportAsync();
        await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "true");
        await alice.Keyboard.PressAsync("Escape");
        await Expect(alice.RoomsNav()).Not.ToBeInViewportAsync();
        await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "false");

        await rooms.ClickAsync();
        await Expect(alice.RoomsNav()).ToBeInViewportAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync($"phones-{id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(alice).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chat/phones-{id}$"));
        await Expect(alice.RoomsNav()).Not.ToBeInViewportAsync();

        // Back to #general through the drawer: choosing a room closes it.
        await rooms.ClickAsync();
        await alice.RoomsNav().GetByRole(AriaRole.Link, new() { Name = "general" }).ClickAsync();
        await Expect(alice).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/chat/general$"));
        await Expect(alice.RoomsNav()).Not.ToBeInViewportAsync();

        await alice.SendAsync($"from a phone {id}");
        await Expect(bob.Message($"from a phone {id}")).ToBeVisibleAsync();
        await bob.Message($"from a phone {id}").HoverAsync();
        await bob.Message($"from a phone {id}").GetByLabel("Add reaction").ClickAsync();
        // Every choice is on the screen (in one line of eight, the first ran off its left edge).
        // The picker opens with the server's next render: wait for its eight choices before measuring them.
        var picker = bob.GetByRole(AriaRole.Group, new() { Name = "Choose a reaction" }).GetByRole(AriaRole.Button);
        await Expect(picker).ToHaveCountAsync(8);
        var choices = await picker.AllAsync();
        foreach (var choice in choices)
        {
            var box = await choice.BoundingBoxAsync();
            Assert.True(box!.X >= 0 && box.X + box.Width <= 390, $"{await choice.GetAttributeAsync("aria-label")} spans {box.X}..{box.X + box.Width} px of 390");
        }
        await bob.GetByRole(AriaRole.Button, new() { Name = "React with 👍" }).ClickAsync();
        await Expect(alice.Message($"from a phone {id}").Locator(".reaction")).ToHaveAttributeAsync("aria-label", $"👍 1: Bob {id}");

        await alice.GetByLabel("Search messages").FillAsync($"phone {id}");
        await alice.GetByLabel("Search messages").PressAsync("Enter");
        var results = alice.GetByRole(AriaRole.Complementary, new() { Name = "Search results" });
        await Expect(results).ToBeInViewportAsync();
        await Expect(results).ToContainTextAsync($"from a phone {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Close the side panel" }).ClickAsync();
        await Expect(results).Not.ToBeInViewportAsync();
        await AssertNoSidewaysScrollAsync(alice);
    }

    [BrowserFact]
    public async Task On_a_wide_screen_the_room_list_is_docked_and_the_toggle_hides_and_shows_it()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.SetViewportSizeAsync(1280, 800);
        await page.RegisterAsync($"Wide {id}", $"wide.{id}@example.com");
        var rooms = page.GetByRole(AriaRole.Button, new() { Name = "Rooms and direct messages" });

        await Expect(page.RoomsNav()).ToBeInViewportAsync();
        await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "true");
        await rooms.ClickAsync();
        await Expect(page.RoomsNav()).ToBeHiddenAsync();
        await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Composer()).ToBeInViewportAsync();
        await rooms.ClickAsync();
        await Expect(page.RoomsNav()).ToBeInViewportAsync();
        await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "true");
    }
}
