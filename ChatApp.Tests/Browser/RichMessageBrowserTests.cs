using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class RichMessageBrowserTests(BrowserFixture fixture)
{
    private async Task<(IPage Alice, IPage Bob)> TwoPeopleAsync(string id)
    {
        var alice = await fixture.NewUserPageAsync();
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync();
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        await Expect(alice.GetByRole(AriaRole.Complementary, new() { Name = "Members" })).ToContainTextAsync($"Bob {id}");
        return (alice, bob);
    }

    [BrowserFact]
    public async Task Markdown_renders_and_a_keyboard_chosen_mention_highlights_for_its_target()
    {
        var id = BrowserFixture.Unique();
        var (alice, bob) = await TwoPeopleAsync(id);

        await alice.Composer().PressSequentiallyAsync($"**ship** {id} @Bob {id[..3]}");
        await Expect(alice.GetByRole(AriaRole.Option, new() { Name = $"Bob {id}" })).ToBeVisibleAsync();
        await alice.Composer().PressAsync("Enter");
        await Expect(alice.Composer()).ToHaveValueAsync($"**ship** {id} @Bob {id} ");
        await alice.Composer().PressAsync("Enter");

        var message = bob.Message($"ship {id}");
        await Expect(message.Locator("strong")).ToHaveTextAsync("ship");
        await Expect(message.Locator(".mention-me")).ToHaveTextAsync($"@Bob {id}");
        await Expect(message).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mentions-me"));
    }

    [BrowserFact]
    public async Task Reacting_and_replying_show_live_for_the_other_person()
    {
        var id = BrowserFixture.Unique();
        var (alice, bob) = await TwoPeopleAsync(id);
        await alice.SendAsync($"lunch {id}?");
        await Expect(bob.Message($"lunch {id}?")).ToBeVisibleAsync();

        await bob.Message($"lunch {id}?").HoverAsync();
        await bob.Message($"lunch {id}?").GetByLabel("Add reaction").ClickAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "React with 👍" }).ClickAsync();
        await Expect(alice.Message($"lunch {id}?").Locator(".reaction")).ToHaveAttributeAsync("aria-label", $"👍 1: Bob {id}");

        await bob.Message($"lunch {id}?").HoverAsync();
        await bob.Message($"lunch {id}?").GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.Status).Filter(new() { HasText = "Replying to" })).ToContainTextAsync($"Alice {id}");
        await bob.SendAsync($"yes {id}");
        var quote = alice.Message($"yes {id}").Locator(".reply-quote");
        await Expect(quote).ToContainTextAsync($"lunch {id}?");
        await quote.ClickAsync();
        // The first article with that text is the original; the reply quotes it too.
        await Expect(alice.Message($"lunch {id}?").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("highlighted"));
    }

    [BrowserTheory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_sent_reply_and_attachment_leave_the_composer_empty_for_the_next_message(int width, int height)
    {
        // The reply banner and the attachment list belong to the page; after a send only the composer rendered, so the
        // banner stayed and the next message went out as a reply again.
        var id = BrowserFixture.Unique();
        var (alice, bob) = await TwoPeopleAsync(id);
        await bob.SetViewportSizeAsync(width, height);
        await alice.SendAsync($"lunch {id}?");
        await Expect(bob.Message($"lunch {id}?")).ToBeVisibleAsync();

        await bob.Message($"lunch {id}?").HoverAsync();
        await bob.Message($"lunch {id}?").GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await bob.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "dot.png", MimeType = "image/png", Buffer = TinyPng });
        var banner = bob.GetByRole(AriaRole.Status).Filter(new() { HasText = "Replying to" });
        var attachments = bob.GetByRole(AriaRole.List, new() { Name = "Attachments to send" });
        await Expect(banner).ToContainTextAsync($"Alice {id}");
        await Expect(attachments).ToContainTextAsync("dot.png");
        await bob.SendAsync($"yes {id}");

        await Expect(banner).ToHaveCountAsync(0);
        await Expect(attachments).ToHaveCountAsync(0);
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"chatapp-reply-sent-{width}-{id}.png") });
        await bob.SendAsync($"and a plain one {id}");
        await Expect(alice.Message($"and a plain one {id}")).ToBeVisibleAsync();
        await Expect(alice.Message($"and a plain one {id}").Locator(".reply-quote")).ToHaveCountAsync(0);
        await Expect(alice.Message($"and a plain one {id}").Locator("img")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Uploading_an_image_shows_its_preview_to_the_room()
    {
        var id = BrowserFixture.Unique();
        var (alice, bob) = await TwoPeopleAsync(id);

        await alice.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "dot.png", MimeType = "image/png", Buffer = TinyPng });
        await Expect(alice.GetByRole(AriaRole.List, new() { Name = "Attachments to send" })).ToContainTextAsync("dot.png");
        await alice.SendAsync($"picture {id}");

        var preview = bob.Message($"picture {id}").Locator("img");
        await Expect(preview).ToHaveAttributeAsync("alt", "dot.png");
        Assert.True(await preview.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
    }

    [BrowserFact]
    public async Task Search_results_jump_to_the_message_in_its_room()
    {
        var id = BrowserFixture.Unique();
        var (alice, _) = await TwoPeopleAsync(id);
        await alice.SendAsync($"needle{id} in a haystack");
        await alice.SendAsync("something else");

        await alice.GetByLabel("Search messages").FillAsync($"needle{id}");
        await alice.GetByLabel("Search messages").PressAsync("Enter");
        var results = alice.GetByRole(AriaRole.Complementary, new() { Name = "Search results" });
        await Expect(results.Locator("mark")).ToHaveTextAsync($"needle{id}");
        await results.GetByRole(AriaRole.Link).First.ClickAsync();

        await Expect(alice.Message($"needle{id}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("highlighted"));
    }

    [BrowserFact]
    public async Task Search_looks_in_the_open_room_or_in_all_of_ones_rooms_as_chosen()
    {
        var id = BrowserFixture.Unique();
        var alice = await fixture.NewUserPageAsync();
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        await alice.SendAsync($"needle{id} in general");
        var room = $"elsewhere-{id}";
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(room);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(alice).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chat/{room}$"));

        // The scope's options are one markup frame of the page: the select still shows and sends the chosen one.
        var scope = alice.GetByLabel("Search in");
        await Expect(scope.Locator("option:checked")).ToHaveTextAsync("This room");
        await alice.GetByLabel("Search messages").FillAsync($"needle{id}");
        await alice.GetByLabel("Search messages").PressAsync("Enter");
        var results = alice.GetByRole(AriaRole.Complementary, new() { Name = "Search results" });
        await Expect(results).ToContainTextAsync("No messages match.");

        await scope.SelectOptionAsync(new SelectOptionValue { Label = "All my rooms" });
        await alice.GetByLabel("Search messages").PressAsync("Enter");
        await Expect(results.Locator("mark")).ToHaveTextAsync($"needle{id}");
        await Expect(scope.Locator("option:checked")).ToHaveTextAsync("All my rooms");
    }

    /// <summary>A valid 1×1 PNG.</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class NotificationBrowserTests(BrowserFixture fixture)
{
    /// <summary>A tab in the background whose Notification API records what it is asked to show.</summary>
    private const string HiddenTabWithRecordedNotifications = """
        (() => {
            Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
            window.__notifications = [];
            window.Notification = class {
                static permission = 'granted';
                static requestPermission() { return Promise.resolve('granted'); }
                constructor(title, options) { window.__notifications.push({ title, body: options?.body }); }
                close() { }
            };
        })();
        """;

    [BrowserFact]
    public async Task A_mention_in_a_hidden_tab_shows_a_browser_notification()
    {
        var id = BrowserFixture.Unique();
        var bob = await fixture.NewUserPageAsync(context => context.AddInitScriptAsync(HiddenTabWithRecordedNotifications));
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        var alice = await fixture.NewUserPageAsync();
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        await Expect(alice.GetByRole(AriaRole.Complementary, new() { Name = "Members" })).ToContainTextAsync($"Bob {id}");

        await alice.SendAsync($"ping @Bob {id} about the release");
        await alice.SendAsync($"no mention {id}");

        await bob.WaitForFunctionAsync("() => window.__notifications.length > 0");
        await Expect(bob.Message($"no mention {id}")).ToBeAttachedAsync();
        var shown = await bob.EvaluateAsync<string[]>("() => window.__notifications.map(n => n.title + ': ' + n.body)");
        Assert.Equal([$"Alice {id} in #general: ping @Bob {id} about the release"], shown);
    }
}
