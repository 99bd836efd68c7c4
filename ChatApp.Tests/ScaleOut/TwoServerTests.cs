using System.Text.RegularExpressions;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.ScaleOut;

/// <summary>
/// People on different servers of one cluster, in Chromium: they chat, see each other type and come online,
/// and what one server revokes ends on the other. (The servers share the database and a Redis; the load
/// balancer in front of them is docs/scale-out.md's nginx, tested in NginxProxyTests.)
/// </summary>
[Trait("Cost", "browser")]
[Collection(ClusterCollection.Name)]
public sealed class TwoServerTests(ClusterFixture cluster, ITestOutputHelper output) : IDisposable
{
    private static readonly LocatorAssertionsToBeVisibleOptions WithinTwoSeconds = new() { Timeout = 2000 };

    /// <summary>Shows (with a failing test's output) what the servers logged as errors: a tab's "Something went wrong" names no cause.</summary>
    public void Dispose()
    {
        if (cluster.ServerErrors is { Length: > 0 } errors)
        {
            output.WriteLine(errors);
        }
    }

    private async Task<(IPage Page, string Email)> SignUpAsync(ChatAppFactory server, string name)
    {
        var page = await cluster.NewUserPageAsync(server);
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com";
        await page.RegisterAsync(name, email);
        return (page, email);
    }

    [BrowserFact]
    public async Task A_message_on_server_one_reaches_a_member_on_server_two_with_typing_and_presence_and_never_a_non_member()
    {
        var id = BrowserFixture.Unique();
        var (alice, _) = await SignUpAsync(cluster.One, $"Alice {id}");
        var (bob, _) = await SignUpAsync(cluster.Two, $"Bob {id}");
        var (carol, _) = await SignUpAsync(cluster.Two, $"Carol {id}");
        var room = $"secret-{id}";

        await alice.CreatePrivateRoomAsync(room);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Invite people" }).ClickAsync();
        // One input event: under a loaded full run, a query per keystroke through two servers outlasted the wait.
        await alice.GetByLabel("Add people").FillAsync($"Bob {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = $"Add Bob {id}" }).ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Status).Filter(new() { HasText = "Invited" })).ToContainTextAsync($"Bob {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        // Bob's tab on server 2 learns of the invitation made on server 1, and sees Alice online there.
        await Expect(bob.RoomsNav().GetByRole(AriaRole.Link, new() { Name = room })).ToBeVisibleAsync();
        await bob.RoomsNav().GetByRole(AriaRole.Link, new() { Name = room }).ClickAsync();
        await Expect(bob.Locator(".online-count")).ToContainTextAsync("2 online");

        await alice.Composer().PressSequentiallyAsync("across servers");
        await Expect(bob.GetByText($"Alice {id} is typing…")).ToBeVisibleAsync();
        await alice.Composer().PressAsync("Enter");
        await Expect(bob.Message("across servers")).ToBeVisibleAsync(new() { Timeout = 1000 });
        await Expect(bob.Message("across servers")).ToContainTextAsync($"Alice {id}");
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"chatapp-two-servers-{id}.png") });

        // Carol, on the same server as Bob, is not a member: nothing of the room reached her tab.
        var carolHtml = await carol.ContentAsync();
        Assert.DoesNotContain(room, carolHtml);
        Assert.DoesNotContain("across servers", carolHtml);

        // Alice closes her tab on server 1: Bob, on server 2, sees her go offline.
        await alice.Context.CloseAsync();
        await Expect(bob.Locator(".online-count")).ToContainTextAsync("1 online");
    }

    [BrowserFact]
    public async Task Locking_a_user_on_server_one_signs_out_their_tab_on_server_two_within_two_seconds()
    {
        var id = BrowserFixture.Unique();
        var (victim, email) = await SignUpAsync(cluster.Two, $"Locked {id}");

        using (var scope = cluster.One.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(email))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        await Expect(victim.GetByText("You have been signed out")).ToBeVisibleAsync(WithinTwoSeconds);
    }

    [BrowserFact]
    public async Task A_cookie_from_server_one_works_on_server_two_and_after_signing_out_on_neither()
    {
        var id = BrowserFixture.Unique();
        var (page, _) = await SignUpAsync(cluster.One, $"Roamer {id}");
        var cookies = await page.Context.CookiesAsync();
        // The cookie was protected with a key both servers read from the shared database, not a local key file.
        await using (var db = cluster.Two.CreateDbContext())
        {
            Assert.NotEmpty(db.DataProtectionKeys);
        }

        // The same browser, sent to the other server: still signed in, with a working circuit.
        await page.GotoAsync($"{cluster.Two.BaseUrl}/chat");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create a room" })).ToBeVisibleAsync();

        // Signing out on server 2 ends the session everywhere: the old cookie, replayed, works on neither.
        await page.AccountMenu().ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/chat", StringComparison.Ordinal));
        var replay = await cluster.Browser.NewContextAsync();
        await replay.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Secure = c.Secure, HttpOnly = c.HttpOnly }));
        var replayPage = await replay.NewPageAsync();
        foreach (var server in new[] { cluster.One, cluster.Two })
        {
            await replayPage.GotoAsync($"{server.BaseUrl}/chat");
            await Expect(replayPage).ToHaveURLAsync(new Regex("/Account/Login"));
        }
    }

    [BrowserFact]
    public async Task Redis_restarted_during_a_burst_loses_and_duplicates_nothing()
    {
        var id = BrowserFixture.Unique();
        var (alice, _) = await SignUpAsync(cluster.One, $"Sender {id}");
        var (bob, _) = await SignUpAsync(cluster.Two, $"Reader {id}");
        const int Total = 18;

        for (var i = 0; i < Total; i++)
        {
            if (i == 6)
            {
                await cluster.Redis.StopAsync();
            }
            if (i == 12)
            {
                await cluster.Redis.StartAsync();
            }
            await alice.SendAsync($"burst {id} #{i:00}");
        }

        // Bob's tab on server 2 ends with every message once, in order: live, or caught up after the outage.
        var expected = Enumerable.Range(0, Total).Select(i => $"burst {id} #{i:00}").ToArray();
        var burst = bob.MessageLog().Locator("article", new() { HasText = $"burst {id}" });
        await Expect(burst).ToHaveCountAsync(Total, new() { Timeout = 20_000 });
        var texts = await burst.AllInnerTextsAsync();
        Assert.Equal(expected, texts.Select(text => Regex.Match(text, $@"burst {id} #\d\d").Value));
    }
}
