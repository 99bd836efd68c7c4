using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>User text is rendered as text wherever it appears; flooding is refused without losing the text.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class InjectionTests(BrowserFixture fixture)
{
    private static readonly string[] Payloads =
    [
        "<img src=x onerror=\"window.__xss=1\">",
        "<script>window.__xss=1</script>",
        "<a href=\"javascript:window.__xss=1\">click</a>",
        "\"><svg onload=window.__xss=1>",
    ];

    [BrowserFact]
    public async Task Script_payloads_in_messages_and_room_topics_are_shown_as_text_and_never_run()
    {
        var id = BrowserFixture.Unique();
        var alice = await fixture.NewUserPageAsync();
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync();
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");

        foreach (var payload in Payloads)
        {
            await alice.SendAsync($"{payload} {id}");
            await Expect(bob.Message($"{payload} {id}")).ToBeVisibleAsync();
        }
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync($"topic-{id}");
        await alice.GetByLabel("Topic").FillAsync(Payloads[0]);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(alice.Locator(".room-topic")).ToHaveTextAsync(Payloads[0]);

        foreach (var page in new[] { alice, bob })
        {
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
            Assert.Equal(0, await page.Locator(".message-text img, .message-text script, .message-text svg, .room-topic img").CountAsync());
        }
    }

    [BrowserFact]
    public async Task Markup_in_display_names_and_room_names_is_refused_with_a_reason()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Display name").FillAsync("<img src=x onerror=alert(1)>");
        await page.GetByLabel("Email").FillAsync($"markup.{id}@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.Password);
        await page.GetByLabel("Confirm password").FillAsync(TestUsers.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Display name may contain letters, digits, spaces");
        await Expect(page.GetByLabel("Display name")).ToHaveValueAsync("<img src=x onerror=alert(1)>");

        await page.RegisterAsync($"Namer {id}", $"namer.{id}@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("<b>bold</b>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Room names may contain letters");
    }

    [BrowserFact]
    public async Task Sending_too_fast_shows_slow_down_and_keeps_the_text()
    {
        var id = BrowserFixture.Unique();
        var page = await fixture.NewUserPageAsync();
        await page.RegisterAsync($"Flooder {id}", $"flooder.{id}@example.com");

        string? refused = null;
        for (var i = 0; i < 30 && refused is null; i++)
        {
            var text = $"flood {id} {i}";
            await page.Composer().FillAsync(text);
            await page.Composer().PressAsync("Enter");
            var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "too fast" });
            await Expect(page.Message(text).Or(alert)).ToBeVisibleAsync();
            if (await alert.IsVisibleAsync())
            {
                refused = text;
            }
        }

        Assert.NotNull(refused);
        await Expect(page.Composer()).ToHaveValueAsync(refused);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wait a moment, then send again.");
    }
}
