using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>An admin creates a webhook in the console; a script posts with it; a member's open tab shows the bot's message.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed partial class WebhookBrowserTests(BrowserFixture fixture)
{
    /// <summary>Screenshots for people to look at; the assertions do not read them.</summary>
    private static readonly string Shots = Path.Combine(Path.GetTempPath(), "hooks-shots");

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
        await page.Context.ClearCookiesAsync();
        await page.LoginAsync($"admin.{id}@example.com");
        return page;
    }

    /// <summary>Creates a webhook for #general on /admin/webhooks and returns the URL the dialog shows once.</summary>
    private static async Task<string> CreateInGeneralAsync(IPage admin, string botName, string? screenshot = null)
    {
        await admin.GotoAsync("/admin/webhooks");
        await admin.WaitForCircuitAsync();
        await admin.GetByRole(AriaRole.Combobox, new() { Name = "Room" }).ClickAsync();
        await admin.GetByRole(AriaRole.Option).Filter(new() { HasTextRegex = GeneralOption() }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Webhooks of #general" })).ToBeVisibleAsync();
        await admin.GetByLabel("Bot name").FillAsync(botName);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("shown only once");
        var url = await dialog.GetByLabel("Webhook URL").InputValueAsync();
        if (screenshot is not null)
        {
            await admin.ScreenshotAsync(new() { Path = Path.Combine(Shots, screenshot) });
        }
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = botName })).ToBeVisibleAsync();
        return url;
    }

    [GeneratedRegex(@"^\W*general$")]
    private static partial Regex GeneralOption();

    [BrowserFact]
    public async Task A_webhook_created_by_an_admin_posts_as_a_marked_bot_into_a_members_open_tab()
    {
        var id = BrowserFixture.Unique();
        var bob = await fixture.NewUserPageAsync();
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        var admin = await AdminAsync(id);

        var url = await CreateInGeneralAsync(admin, $"CI {id}", "admin-created-desktop.png");
        Assert.Matches($"^{Regex.Escape(fixture.BaseUrl)}/hooks/\\d+/[A-Za-z0-9_-]{{43}}$", url);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Shots, "admin-list-desktop.png"), FullPage = true });

        using var script = new HttpClient();
        var response = await script.PostAsJsonAsync(url, new { text = $"Deploy {id} **succeeded**" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var message = bob.Message($"Deploy {id} succeeded");
        await Expect(message).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Expect(message.Locator(".message-author")).ToHaveTextAsync($"CI {id}");
        await Expect(message.Locator(".bot-marker")).ToHaveTextAsync("BOT");
        await Expect(message.Locator(".message-text strong")).ToHaveTextAsync("succeeded");
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Shots, "bot-message-desktop.png") });
    }

    [BrowserFact]
    public async Task At_phone_size_an_admin_creates_and_revokes_a_webhook_and_the_revoked_url_answers_404()
    {
        var id = BrowserFixture.Unique();
        var bob = await fixture.NewUserPageAsync();
        await bob.SetViewportSizeAsync(390, 844);
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        var admin = await AdminAsync(id);
        await admin.SetViewportSizeAsync(390, 844);

        var url = await CreateInGeneralAsync(admin, $"Pager {id}", "admin-created-phone.png");
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Shots, "admin-list-phone.png"), FullPage = true });

        using var script = new HttpClient();
        Assert.Equal(HttpStatusCode.NoContent, (await script.PostAsJsonAsync(url, new { text = $"Alert {id}: disk full" })).StatusCode);
        await Expect(bob.Message($"Alert {id}: disk full").Locator(".bot-marker")).ToBeVisibleAsync(new() { Timeout = 5000 });
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Shots, "bot-message-phone.png") });

        await admin.GetByRole(AriaRole.Button, new() { Name = $"Revoke webhook Pager {id}" }).ClickAsync();
        var confirm = admin.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("stops working at once");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Shots, "revoke-confirm-phone.png") });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Pager {id}" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await script.PostAsJsonAsync(url, new { text = "after revocation" })).StatusCode);
    }

    [BrowserFact]
    public async Task A_room_owner_an_admin_allowed_creates_a_webhook_from_the_room_header_and_others_get_no_button()
    {
        var id = BrowserFixture.Unique();
        var admin = await AdminAsync(id);
        var olga = await fixture.NewUserPageAsync();
        await olga.RegisterAsync($"Olga {id}", $"olga.{id}@example.com");
        var olgaUser = await fixture.App.GetRequiredService<ChatApp.Chat.RoomService>().FindPersonByDisplayNameAsync($"Olga {id}");
        var room = $"ops-{id}";
        Assert.True((await fixture.App.GetRequiredService<ChatApp.Chat.RoomService>()
            .CreateRoomAsync(new ChatApp.Chat.ChatUser(olgaUser!.UserId, olgaUser.DisplayName), room, RoomKind.Public, null)).Succeeded);
        var button = olga.GetByRole(AriaRole.Button, new() { Name = $"Webhooks of #{room}" });
        await olga.GotoAsync($"/chat/{room}");
        await olga.WaitForCircuitAsync();
        await Expect(olga.MessageLog()).ToBeVisibleAsync();
        await Expect(button).ToHaveCountAsync(0);

        await admin.GotoAsync("/admin/webhooks");
        await admin.WaitForCircuitAsync();
        await admin.GetByRole(AriaRole.Combobox, new() { Name = "Room" }).ClickAsync();
        await admin.GetByRole(AriaRole.Option).Filter(new() { HasTextRegex = new Regex($"^\\W*{room}$") }).ClickAsync();
        await admin.GetByLabel($"The room's creator, Olga {id}, may manage its webhooks").CheckAsync();
        await Expect(admin.GetByText($"Olga {id} may now manage the webhooks of #{room}.")).ToBeVisibleAsync();

        await olga.ReloadAsync();
        await olga.WaitForCircuitAsync();
        await button.ClickAsync();
        await olga.GetByLabel("Bot name").FillAsync($"Grafana {id}");
        await olga.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        var created = olga.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "shown only once" });
        var url = await created.GetByLabel("Webhook URL").InputValueAsync();
        await olga.ScreenshotAsync(new() { Path = Path.Combine(Shots, "owner-created-desktop.png") });
        await created.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(olga.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Grafana {id}" })).ToBeVisibleAsync();
        await olga.ScreenshotAsync(new() { Path = Path.Combine(Shots, "owner-dialog-desktop.png") });
        await olga.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

        using var script = new HttpClient();
        Assert.Equal(HttpStatusCode.NoContent, (await script.PostAsJsonAsync(url, new { text = $"CPU {id} at 95%" })).StatusCode);
        await Expect(olga.Message($"CPU {id} at 95%").Locator(".bot-marker")).ToBeVisibleAsync(new() { Timeout = 5000 });
    }
}
