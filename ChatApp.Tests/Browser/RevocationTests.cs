using System.Diagnostics;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>Revoking access ends every affected open tab within two seconds.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class RevocationTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions WithinTwoSeconds = new() { Timeout = 2000 };

    private async Task<(IPage Page, string Email)> SignUpAsync(string name)
    {
        var page = await fixture.NewUserPageAsync();
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com";
        await page.RegisterAsync(name, email);
        return (page, email);
    }

    private static async Task<IPage> SecondTabAsync(IPage page)
    {
        var tab = await page.Context.NewPageAsync();
        await tab.GotoAsync("/chat");
        await tab.WaitForCircuitAsync();
        return tab;
    }

    private async Task<ApplicationUser> FindUserAsync(UserManager<ApplicationUser> users, string email) =>
        await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);

    [BrowserFact]
    public async Task Logging_out_in_one_tab_signs_the_other_tab_out_within_two_seconds()
    {
        var id = BrowserFixture.Unique();
        var (first, _) = await SignUpAsync($"Tabs {id}");
        var second = await SecondTabAsync(first);

        await first.AccountMenu().ClickAsync();
        await first.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" }).ClickAsync();

        await Expect(second.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
        await Expect(second.Composer()).ToHaveCountAsync(0);
        await second.GotoAsync("/chat");
        await second.WaitForURLAsync("**/Account/Login**");
    }

    /// <summary>Everything the server sent a tab over its circuit's WebSocket, as text (render batches carry message texts in UTF-8).</summary>
    private sealed class ReceivedFrames
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> frames = new();

        public ReceivedFrames(IPage page) =>
            page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
                frames.Enqueue(frame.Binary is { } binary ? System.Text.Encoding.UTF8.GetString(binary) : frame.Text ?? "");

        public bool Contain(string text) => frames.Any(f => f.Contains(text, StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task Locking_a_user_signs_their_open_tab_out_within_two_seconds_and_stops_delivery()
    {
        var id = BrowserFixture.Unique();
        var victim = await fixture.NewUserPageAsync();
        var received = new ReceivedFrames(victim);
        var email = $"locked.{id}@example.com";
        await victim.RegisterAsync($"Locked {id}", email);
        var (other, _) = await SignUpAsync($"Other {id}");
        // The control: while signed in, the victim's circuit is sent the room's messages.
        await other.SendAsync($"before the lock {id}");
        await Expect(victim.Message($"before the lock {id}")).ToBeVisibleAsync();
        Assert.True(received.Contain($"before the lock {id}"));

        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync(await FindUserAsync(users, email), DateTimeOffset.UtcNow.AddHours(1));
        }

        await Expect(victim.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
        // Delivered to the sender's own tab in the same fan-out that would have reached the victim's circuit.
        await other.SendAsync($"after the lock {id}");
        Assert.False(received.Contain($"after the lock {id}"), "The locked user's circuit was still sent a message after the lock.");
    }

    [BrowserFact]
    public async Task Losing_the_admin_role_or_being_deleted_ends_open_tabs()
    {
        var id = BrowserFixture.Unique();
        var (demoted, demotedEmail) = await SignUpAsync($"Demoted {id}");
        var (deleted, deletedEmail) = await SignUpAsync($"Deleted {id}");

        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var demotedUser = await FindUserAsync(users, demotedEmail);
            await users.AddToRoleAsync(demotedUser, ChatApp.Data.Roles.Admin);
            await users.RemoveFromRoleAsync(demotedUser, ChatApp.Data.Roles.Admin);
            await users.DeleteAsync(await FindUserAsync(users, deletedEmail));
        }

        await Expect(demoted.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
        await Expect(deleted.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
    }

    [BrowserFact]
    public async Task Ending_a_session_from_another_device_signs_that_device_out()
    {
        var id = BrowserFixture.Unique();
        var (laptop, email) = await SignUpAsync($"Owner {id}");
        var phone = await fixture.NewUserPageAsync();
        await phone.LoginAsync(email);

        await phone.GotoAsync("/Account/Manage/Sessions");
        await phone.GetByRole(AriaRole.Button, new() { Name = "End all other sessions" }).ClickAsync();

        await Expect(laptop.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
        await Expect(phone.GetByText("Ended 1 other session.")).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task Changing_the_password_signs_out_the_other_devices_but_not_this_one()
    {
        var id = BrowserFixture.Unique();
        var (laptop, email) = await SignUpAsync($"Changer {id}");
        var phone = await fixture.NewUserPageAsync();
        await phone.LoginAsync(email);

        await laptop.GotoAsync("/Account/Manage/ChangePassword");
        await laptop.GetByLabel("Old password").FillAsync(TestUsers.Password);
        await laptop.GetByLabel("New password").FillAsync("N3w-Passw0rd!");
        await laptop.GetByLabel("Confirm password").FillAsync("N3w-Passw0rd!");
        await laptop.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();

        await Expect(phone.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
        await laptop.GotoAsync("/chat");
        await laptop.WaitForCircuitAsync();
        await Expect(laptop.Composer()).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task Deactivating_a_user_ends_their_tab_and_refuses_their_next_login()
    {
        var id = BrowserFixture.Unique();
        var (page, email) = await SignUpAsync($"Leaver {id}");

        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await FindUserAsync(users, email);
            user.IsDeactivated = true;
            await users.UpdateAsync(user);
        }

        await Expect(page.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
        // The address, not the load event: under load the signed-out page's "load" can come after the wait's
        // timeout although the tab already navigated there (seen in CI: URL already /Account/SignedOut).
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignedOut$"));
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(TestUsers.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid login attempt");
    }

    [BrowserFact]
    public async Task A_circuit_that_reconnects_as_another_user_is_ended()
    {
        var id = BrowserFixture.Unique();
        var alice = await fixture.NewUserPageAsync(context => context.AllowConnectionDropsAsync());
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync();
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");

        // Alice's browser now holds Bob's cookie, as a session-swapping attack would arrange.
        var bobCookies = await bob.Context.CookiesAsync();
        await alice.Context.AddCookiesAsync(bobCookies.Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        await alice.DropConnectionAsync();
        await alice.RestoreConnectionAsync();

        await Expect(alice.GetByText("You have been signed out")).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    [BrowserFact]
    public async Task A_user_cannot_open_more_live_circuits_than_the_cap()
    {
        var id = BrowserFixture.Unique();
        var (first, _) = await SignUpAsync($"Hoarder {id}");
        for (var i = 1; i < BrowserFixture.MaxCircuitsPerUser; i++)
        {
            await SecondTabAsync(first);
        }

        var extra = await first.Context.NewPageAsync();
        var negotiate = extra.WaitForResponseAsync(r => r.Url.Contains("/_blazor/negotiate", StringComparison.Ordinal));
        await extra.GotoAsync("/chat");

        Assert.Equal(429, (await negotiate).Status);
        await Expect(extra.Locator("[data-circuit=connected]")).ToHaveCountAsync(0);
    }
}
