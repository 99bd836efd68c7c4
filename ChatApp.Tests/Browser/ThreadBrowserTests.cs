using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>Threads for two people in Chromium: replying, following, live summaries, the Threads list, phones and reconnects.</summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class ThreadBrowserTests(BrowserFixture fixture)
{
    /// <summary>Screenshots for people to look at; the assertions do not read them.</summary>
    private static readonly string Shots = Path.Combine(Path.GetTempPath(), "thread-shots");

    private async Task<IPage> SignUpAsync(string name, int width = 1280, int height = 800, Func<IBrowserContext, Task>? prepare = null)
    {
        var page = await fixture.NewUserPageAsync(prepare);
        await page.SetViewportSizeAsync(width, height);
        await page.RegisterAsync(name, $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com");
        return page;
    }

    private static ILocator ThreadLog(IPage page) => page.GetByRole(AriaRole.Log, new() { Name = "Thread replies" });

    private static ILocator ThreadComposer(IPage page) => page.GetByRole(AriaRole.Textbox, new() { Name = "Reply in thread" });

    private static async Task ReplyInThreadAsync(IPage page, string text)
    {
        await ThreadComposer(page).FillAsync(text);
        await ThreadComposer(page).PressAsync("Enter");
        await Expect(ThreadLog(page).Locator("article", new() { HasText = text })).ToBeVisibleAsync();
        await Expect(ThreadComposer(page)).ToHaveValueAsync("");
    }

    private static async Task StartThreadAsync(IPage page, string rootText)
    {
        var root = page.Message(rootText);
        await root.HoverAsync();
        await root.GetByRole(AriaRole.Button, new() { Name = "Reply in thread" }).ClickAsync();
        await Expect(ThreadComposer(page)).ToBeFocusedAsync();
    }

    [BrowserFact]
    public async Task Two_people_reply_in_a_thread_and_see_replies_summaries_deletions_and_unread_counts_live()
    {
        Directory.CreateDirectory(Shots);
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}");
        await alice.SendAsync($"Release {id} goes out today");

        await StartThreadAsync(bob, $"Release {id}");
        await ReplyInThreadAsync(bob, $"Does it include the fix, @Alice {id}?");

        // Alice: the root's summary appears live, she follows (she wrote the root, and was mentioned), one thread unread.
        var summary = alice.Message($"Release {id}").Locator(".thread-summary");
        await Expect(summary).ToContainTextAsync("1 reply");
        await Expect(summary).ToContainTextAsync($"Bob {id}");
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Threads, 1 with new replies" })).ToBeVisibleAsync();
        // The reply is not in the room's own list.
        await Expect(alice.Message("Does it include the fix")).ToHaveCountAsync(0);

        await summary.ClickAsync();
        await Expect(ThreadLog(alice).Locator("article", new() { HasText = "Does it include the fix" })).ToBeVisibleAsync();
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Threads", Exact = true })).ToBeVisibleAsync();

        // Also sent to the room: both lists show it, for both people.
        await ThreadComposer(alice).FillAsync($"Yes, and the export {id}");
        await alice.GetByLabel($"Also send to #general").CheckAsync();
        await ThreadComposer(alice).PressAsync("Enter");
        await Expect(ThreadLog(bob).Locator("article", new() { HasText = $"Yes, and the export {id}" })).ToBeVisibleAsync();
        await Expect(bob.Message($"Yes, and the export {id}")).ToBeVisibleAsync();
        await Expect(bob.Message($"Yes, and the export {id}").GetByRole(AriaRole.Button, new() { Name = "Replied in a thread: open it" })).ToBeVisibleAsync();
        await Expect(bob.Message($"Release {id}").Locator(".thread-summary")).ToContainTextAsync("2 replies");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(Shots, "thread-desktop.png") });

        // Bob deletes his reply in the thread: Alice's thread shows it deleted and the summary counts one.
        var bobsReply = ThreadLog(bob).Locator("article", new() { HasText = "Does it include the fix" });
        await bobsReply.HoverAsync();
        await bobsReply.GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        await bob.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(ThreadLog(alice).Locator("article.deleted")).ToContainTextAsync("message deleted");
        await Expect(alice.Message($"Release {id}").Locator(".thread-summary")).ToContainTextAsync("1 reply");

        // Bob closes the thread; Alice replies: Bob follows (he replied), so his Threads list counts it, unread first.
        await bob.GetByRole(AriaRole.Button, new() { Name = "Close the thread" }).ClickAsync();
        await ReplyInThreadAsync(alice, $"Changelog {id} is up");
        var threads = bob.GetByRole(AriaRole.Button, new() { Name = "Threads, 1 with new replies" });
        await threads.ClickAsync();
        var listed = bob.Locator(".followed-thread", new() { HasText = $"Release {id}" });
        await Expect(listed).ToContainTextAsync("1 new");
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Shots, "threads-list-desktop.png") });
        await listed.ClickAsync();
        await Expect(ThreadLog(bob).Locator("article", new() { HasText = $"Changelog {id}" })).ToBeVisibleAsync();
        await Expect(bob.GetByRole(AriaRole.Button, new() { Name = "Threads", Exact = true })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task On_a_phone_the_thread_fills_the_screen_and_catches_up_after_a_lost_connection()
    {
        Directory.CreateDirectory(Shots);
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Phoebe {id}", 390, 844, context => context.AllowConnectionDropsAsync());
        var bob = await SignUpAsync($"Boris {id}");
        await bob.SendAsync($"Standup {id} notes");
        await StartThreadAsync(bob, $"Standup {id}");
        await ReplyInThreadAsync(bob, $"first reply {id}");

        await alice.Message($"Standup {id}").Locator(".thread-summary").ClickAsync();
        var panel = alice.GetByRole(AriaRole.Complementary, new() { Name = "Thread" });
        await Expect(ThreadLog(alice).Locator("article", new() { HasText = $"first reply {id}" })).ToBeVisibleAsync();
        var box = await panel.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.Equal(390, box.Width, 1.0);
        Assert.True(box.Height > 700, $"The thread panel is {box.Height}px high on an 844px screen.");
        Assert.Equal(0, await alice.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await alice.ScreenshotAsync(new() { Path = Path.Combine(Shots, "thread-phone.png") });

        // Offline while Bob replies twice; back online, the open thread shows both, once each.
        await alice.DropConnectionAsync();
        await Expect(alice.GetByText("Reconnecting…")).ToBeVisibleAsync();
        await ReplyInThreadAsync(bob, $"while away {id}");
        await ReplyInThreadAsync(bob, $"still away {id}");
        await alice.RestoreConnectionAsync();
        await Expect(ThreadLog(alice).Locator("article", new() { HasText = $"still away {id}" })).ToBeVisibleAsync();
        var texts = await ThreadLog(alice).Locator("article .message-text").AllInnerTextsAsync();
        Assert.Equal([$"Standup {id} notes", $"first reply {id}", $"while away {id}", $"still away {id}"], texts);

        await alice.GetByRole(AriaRole.Button, new() { Name = "Close the thread" }).ClickAsync();
        await Expect(panel).ToHaveCountAsync(0);
        await Expect(alice.Composer()).ToBeVisibleAsync();
    }
}
