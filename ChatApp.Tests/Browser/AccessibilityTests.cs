using ChatApp.Components.Layout;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>axe-core finds no violation of any impact on every screen, in the light and the dark theme.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    private Task<IPage> PageAsync(string theme) => fixture.NewUserPageAsync(context =>
        context.AddCookiesAsync([new Cookie { Name = ThemePreference.CookieName, Value = theme, Url = fixture.BaseUrl }]));

    private static async Task CheckAsync(IPage page, string where, string theme)
    {
        // The page is drawn in the theme asked for: the check would otherwise pass on the wrong palette.
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
        await Axe.AssertNoViolationsAsync(page, $"{where} ({theme})");
    }

    [BrowserTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Public_and_sign_in_pages(string theme)
    {
        var page = await PageAsync(theme);
        foreach (var (path, where) in new[]
        {
            ("/", "landing"), ("/Account/Login", "login"), ("/Account/Register", "register"),
            ("/Account/ForgotPassword", "forgot password"), ("/no-such-page", "not found"),
        })
        {
            await page.GotoAsync(path);
            await CheckAsync(page, where, theme);
        }
    }

    [BrowserTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Chat_room_and_direct_message_with_messages_reactions_mentions_and_search(string theme)
    {
        var id = BrowserFixture.Unique();
        var bob = await PageAsync(theme);
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        var alice = await PageAsync(theme);
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");

        await alice.SendAsync($"Welcome {id}, see https://example.com");
        await alice.SendAsync($"lunch {id}?");
        await alice.Message($"lunch {id}?").HoverAsync();
        await alice.Message($"lunch {id}?").GetByLabel("Add reaction").ClickAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "React with 👍" }).ClickAsync();
        await Expect(alice.Message($"lunch {id}?").Locator(".reaction")).ToBeVisibleAsync();
        await CheckAsync(alice, "a room with messages and a reaction", theme);

        await alice.Composer().PressSequentiallyAsync($"hi @Bob {id[..3]}");
        await Expect(alice.GetByRole(AriaRole.Option, new() { Name = $"Bob {id}" })).ToBeVisibleAsync();
        await CheckAsync(alice, "the composer with the mention list open", theme);
        await alice.Composer().FillAsync("");

        await alice.GetByLabel("Search messages").FillAsync($"lunch {id}");
        await alice.GetByLabel("Search messages").PressAsync("Enter");
        await Expect(alice.GetByRole(AriaRole.Complementary, new() { Name = "Search results" })).ToContainTextAsync($"lunch {id}");
        await CheckAsync(alice, "search results", theme);

        await alice.Keyboard.PressAsync("Control+k");
        await Expect(alice.GetByRole(AriaRole.Combobox, new() { Name = "Room or person" })).ToBeFocusedAsync();
        await CheckAsync(alice, "the quick switcher", theme);
        await alice.Keyboard.PressAsync("Escape");

        await alice.GotoAsync($"/dm/{Uri.EscapeDataString($"Bob {id}")}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await alice.SendAsync($"psst {id}");
        await CheckAsync(alice, "a direct message", theme);

        await alice.AccountMenu($"Alice {id}").ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" })).ToBeVisibleAsync();
        // Opening the menu moves focus to its first entry (MainLayout.razor.js).
        await Expect(alice.GetByRole(AriaRole.Menuitem, new() { Name = "Profile and security" })).ToBeFocusedAsync();
        await CheckAsync(alice, "the account menu", theme);
    }

    [BrowserTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Chat_dialogs_and_the_delete_confirmation(string theme)
    {
        var id = BrowserFixture.Unique();
        var alice = await PageAsync(theme);
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var dialog = alice.GetByRole(AriaRole.Dialog);

        foreach (var (button, where) in new[] { ("Create a room", "the create-room dialog"), ("Browse rooms", "the browse-rooms dialog"), ("New direct message", "the new-direct-message dialog") })
        {
            await alice.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            await Expect(dialog).ToBeVisibleAsync();
            await CheckAsync(alice, where, theme);
            await alice.Keyboard.PressAsync("Escape");
            await Expect(dialog).ToHaveCountAsync(0);
        }

        await alice.CreatePrivateRoomAsync($"a11y-{id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Invite people" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await CheckAsync(alice, "the invite dialog", theme);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await alice.SendAsync($"oops {id}");
        await alice.Message($"oops {id}").HoverAsync();
        await alice.Message($"oops {id}").GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await CheckAsync(alice, "the delete confirmation", theme);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(alice.Message($"oops {id}")).ToBeVisibleAsync();
    }

    [BrowserTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Account_pages(string theme)
    {
        var id = BrowserFixture.Unique();
        var page = await PageAsync(theme);
        await page.RegisterAsync($"Carol {id}", $"carol.{id}@example.com");
        foreach (var path in new[]
        {
            "Manage", "Manage/Email", "Manage/ChangePassword", "Manage/TwoFactorAuthentication", "Manage/Passkeys",
            "Manage/Sessions", "Manage/PersonalData", "Manage/DeletePersonalData", "Manage/EnableAuthenticator",
        })
        {
            await page.GotoAsync($"/Account/{path}");
            await CheckAsync(page, path, theme);
        }
    }

    [BrowserTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_reconnect_dialog(string theme)
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync(async context =>
        {
            await context.AddCookiesAsync([new Cookie { Name = ThemePreference.CookieName, Value = theme, Url = fixture.BaseUrl }]);
            await context.AllowConnectionDropsAsync();
        });
        await page.RegisterAsync($"Dave {id}", $"dave.{id}@example.com");

        await page.DropConnectionAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Reconnecting…" })).ToBeVisibleAsync();
        await CheckAsync(page, "the reconnect dialog", theme);

        await page.RestoreConnectionAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected again." })).ToBeVisibleAsync();
    }

    [BrowserTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Admin_console_pages_and_dialogs(string theme)
    {
        var id = BrowserFixture.Unique();
        var bob = await PageAsync(theme);
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        var admin = await PageAsync(theme);
        await admin.RegisterAsync($"Admin {id}", $"admin.{id}@example.com");
        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync($"admin.{id}@example.com"))!, Roles.Admin);
        }
        await admin.Context.ClearCookiesAsync();
        await admin.Context.AddCookiesAsync([new Cookie { Name = ThemePreference.CookieName, Value = theme, Url = fixture.BaseUrl }]);
        await admin.LoginAsync($"admin.{id}@example.com");

        foreach (var (path, where) in new[]
        {
            ("/admin", "dashboard"), ("/admin/users", "users"), ("/admin/rooms", "rooms"), ("/admin/audit", "audit log"), ("/admin/sessions", "live sessions"),
        })
        {
            await admin.GotoAsync(path);
            await admin.WaitForCircuitAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await CheckAsync(admin, where, theme);
        }

        await admin.GotoAsync("/admin/users");
        await admin.WaitForCircuitAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await CheckAsync(admin, "the create-user dialog", theme);
        await admin.Keyboard.PressAsync("Escape");
        await Expect(admin.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await admin.GetByLabel("Search users").FillAsync($"Bob {id}");
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Actions for " })).ToHaveCountAsync(1);
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Actions for Bob {id}" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Menuitem, new() { Name = "Deactivate" })).ToBeVisibleAsync();
        await CheckAsync(admin, "a user's actions menu", theme);
        await admin.GetByRole(AriaRole.Menuitem, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await CheckAsync(admin, "the deactivate confirmation", theme);
    }
}
