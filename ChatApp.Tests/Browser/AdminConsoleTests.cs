using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>An admin runs the community from the UI; the people affected see it in their open tabs.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class AdminConsoleTests(BrowserFixture fixture)
{
    /// <summary>An admin of the shared test server (the first account there may belong to another test).</summary>
    private async Task<IPage> AdminAsync(string id)
    {
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Admin {id}", $"admin.{id}@example.com");
        using (var scope = fixture.App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync($"admin.{id}@example.com");
            if (!await users.IsInRoleAsync(user!, Roles.Admin))
            {
                await users.AddToRoleAsync(user!, Roles.Admin);
            }
        }
        // The role change arrives with a fresh sign-in.
        await page.Context.ClearCookiesAsync();
        await page.LoginAsync($"admin.{id}@example.com");
        return page;
    }

    [BrowserFact]
    public async Task Admin_locks_Bob_from_the_users_page_and_Bobs_open_tab_is_signed_out_within_two_seconds()
    {
        var id = BrowserFixture.Unique();
        var admin = await AdminAsync(id);
        var bob = await fixture.NewUserPageAsync();
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");

        await admin.GotoAsync("/admin/users");
        await admin.WaitForCircuitAsync();
        await admin.GetByLabel("Search users").FillAsync($"Bob {id}");
        // Only Bob's row: the search has reloaded the grid, so the menu opens on a row that stays.
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Actions for " })).ToHaveCountAsync(1);
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Actions for Bob {id}" }).ClickAsync();
        await admin.GetByRole(AriaRole.Menuitem, new() { Name = "Lock…" }).ClickAsync();
        await admin.GetByRole(AriaRole.Combobox, new() { Name = "Lock for" }).ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Indefinitely" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();

        await Expect(bob.GetByText("You have been signed out")).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Bob {id}" })).ToContainTextAsync("Locked indefinitely");

        // The address, not the load event: under load the signed-out page's "load" can come after the wait's
        // timeout although the tab already navigated there (seen in CI: URL already /Account/SignedOut).
        await Expect(bob).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignedOut$"));
        await bob.GotoAsync("/Account/Login");
        await bob.GetByLabel("Email").FillAsync($"bob.{id}@example.com");
        await bob.GetByLabel("Password").FillAsync(TestUsers.Password);
        await bob.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid login attempt");

        await admin.GotoAsync("/admin/audit");
        await admin.WaitForCircuitAsync();
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "user.lock" }).Filter(new() { HasText = $"Bob {id}" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task At_phone_width_every_admin_page_has_its_title_and_none_scrolls_sideways()
    {
        var admin = await AdminAsync(BrowserFixture.Unique());
        await admin.SetViewportSizeAsync(390, 844);

        foreach (var (path, heading, grid) in new[] { ("/admin", "Dashboard", false), ("/admin/users", "Users", true), ("/admin/rooms", "Rooms", true), ("/admin/sessions", "Live sessions", true), ("/admin/audit", "Audit log", true) })
        {
            await admin.GotoAsync(path);
            await admin.WaitForCircuitAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            await Expect(admin).ToHaveTitleAsync($"{heading} — Admin — ChatApp");
            if (grid)
            {
                // A data row, not only the header: the widest content is in the cells. At phone width the grid
                // stacks each row's cells, and Chromium no longer exposes them as table rows.
                await Expect(admin.Locator("tbody tr").First).ToBeVisibleAsync();
            }
            // The document and the layout's own scrolling main area.
            var sideways = await admin.EvaluateAsync<int>("() => Math.max(...[document.documentElement, document.querySelector('main')].filter(e => e).map(e => e.scrollWidth - e.clientWidth))");
            Assert.True(sideways <= 0, $"{path} scrolls sideways by {sideways}px at 390 px");
        }
    }

    [BrowserFact]
    public async Task A_non_admin_gets_not_found_for_admin_pages_and_sees_no_admin_link()
    {
        var id = BrowserFixture.Unique();
        await AdminAsync(id);
        var member = await fixture.NewUserPageAsync();
        await member.RegisterAsync($"Member {id}", $"member.{id}@example.com");

        await member.AccountMenu().ClickAsync();
        await Expect(member.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" })).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Menuitem, new() { Name = "Admin console" })).ToHaveCountAsync(0);
        var response = await member.GotoAsync("/admin/users");
        Assert.Equal(404, response!.Status);
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task A_moderator_removes_a_message_and_mutes_its_author_live()
    {
        var id = BrowserFixture.Unique();
        var admin = await AdminAsync(id);
        var bob = await fixture.NewUserPageAsync();
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        await bob.SendAsync($"rude words {id}");
        await Expect(admin.Message($"rude words {id}")).ToBeVisibleAsync();

        await admin.Message($"rude words {id}").HoverAsync();
        await admin.Message($"rude words {id}").GetByRole(AriaRole.Button, new() { Name = "Remove message" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Expect(bob.GetByText($"rude words {id}")).ToHaveCountAsync(0);
        await Expect(bob.MessageLog().Locator("article", new() { HasText = "removed by a moderator" })).ToHaveCountAsync(1);

        await admin.GetByRole(AriaRole.Button, new() { Name = $"Moderate Bob {id}" }).ClickAsync();
        await admin.GetByText("Mute for 1 hour").ClickAsync();
        await Expect(bob.GetByText("A moderator muted you in this room until")).ToBeVisibleAsync();
        await Expect(bob.Composer()).ToBeDisabledAsync();
    }
}
