using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>
/// A room with row feeds in Chromium (an app of its own where any room of more than one member has them; people are
/// shown typing up to 100 members): new rows arrive over the tab's row feed into the list, follow the reader at the
/// bottom, act like any row, and are shown once when the list renders them itself; the feed shows who is typing.
/// The app ends TLS itself, as deployed without a proxy, so Chromium opens the circuit and the feed as HTTP/2 streams
/// (extended CONNECT) on the page's connection.
/// </summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class RowFeedBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly ChatAppFactory app = new();

    public Task InitializeAsync()
    {
        app.Settings["Chat:LiveRowsMembers"] = "1";
        app.Settings["Chat:RateLimit:Burst"] = "1000";
        app.StartKestrelOverTls();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [BrowserTheory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Rows_from_the_feed_show_in_order_act_like_any_row_and_are_shown_once(int width, int height)
    {
        var (id, alice, bob) = await AliceAndBobAsync(width, height);
        var fed = bob.MessageLog().Locator(".live-rows article");
        await alice.SendAsync($"hello Bob {id}");
        await Expect(bob.Message($"hello Bob {id}")).ToBeVisibleAsync();
        await Expect(bob.MessageLog().Locator(".live-rows")).ToBeAttachedAsync();

        // More than a screenful, so that following the newest row means scrolling.
        const int filler = 20;
        for (var i = 1; i <= filler; i++)
        {
            await alice.SendAsync($"filler {i} {id}");
        }
        for (var i = 1; i <= 3; i++)
        {
            await alice.SendAsync($"carried {i} {id}");
        }

        // Carried by the feed (inside its box, not rendered by the circuit), in order, and the log followed them down.
        await Expect(fed).ToHaveCountAsync(filler + 3);
        Assert.Equal([$"carried 1 {id}", $"carried 2 {id}", $"carried 3 {id}"], (await fed.Locator(".message-text").AllInnerTextsAsync()).TakeLast(3));
        await Expect(bob.Message($"carried 3 {id}")).ToBeInViewportAsync();
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"row-feed-{width}-carried.png") });
        // The author's own tab renders its rows itself.
        await Expect(alice.MessageLog().Locator(".live-rows article")).ToHaveCountAsync(0);

        // A carried row's buttons work through the circuit like any row's: the reaction lands on the message.
        await bob.Message($"carried 2 {id}").HoverAsync();
        await bob.Message($"carried 2 {id}").GetByLabel("Add reaction").ClickAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "React with 👍" }).ClickAsync();
        await Expect(alice.Message($"carried 2 {id}").Locator(".reaction")).ToBeVisibleAsync();

        // Opening the picker rendered the list: it shows the rows as its own now, and each one once.
        await Expect(fed).ToHaveCountAsync(0);
        foreach (var text in new[] { $"carried 1 {id}", $"carried 2 {id}", $"carried 3 {id}" })
        {
            await Expect(bob.MessageLog().Locator("article", new() { HasText = text })).ToHaveCountAsync(1);
        }

        // Rows carried after the takeover join them, and nothing shown before goes missing.
        await alice.SendAsync($"carried 4 {id}");
        await Expect(fed).ToHaveCountAsync(1);
        var shown = await bob.MessageLog().Locator("article .message-text").AllInnerTextsAsync();
        Assert.Equal([.. Enumerable.Range(1, filler).Select(i => $"filler {i} {id}"), .. Enumerable.Range(1, 4).Select(i => $"carried {i} {id}")],
            shown.Where(text => text.StartsWith("filler", StringComparison.Ordinal) || text.StartsWith("carried", StringComparison.Ordinal)));
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"row-feed-{width}-rendered.png") });
    }

    [BrowserTheory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_feed_shows_who_is_typing_and_their_row_clears_it(int width, int height)
    {
        var (id, alice, bob) = await AliceAndBobAsync(width, height);
        // Bob's typing line is the one his browser keeps (it names the room its feed shows), once his feed carries rows.
        await alice.SendAsync($"first {id}");
        await Expect(bob.Message($"first {id}")).ToBeVisibleAsync();
        await alice.SendAsync($"over the feed {id}");
        await Expect(bob.MessageLog().Locator(".live-rows article", new() { HasText = $"over the feed {id}" })).ToBeVisibleAsync();
        var line = bob.Locator(".typing-indicator[data-room]");
        await Expect(line).ToBeEmptyAsync();

        await alice.Composer().PressSequentiallyAsync($"typed {id}");
        await Expect(line).ToHaveTextAsync($"Alice {id} is typing…");
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"row-feed-typing-{width}.png") });

        await alice.Composer().PressAsync("Enter");
        await Expect(bob.MessageLog().Locator(".live-rows article", new() { HasText = $"typed {id}" })).ToBeVisibleAsync();
        await Expect(line).ToBeEmptyAsync();
        // Alice is never shown her own typing.
        await Expect(alice.GetByText($"Alice {id} is typing…")).ToHaveCountAsync(0);
    }

    /// <summary>Alice and Bob signed up (both in #general), Bob's window at the given size.</summary>
    private async Task<(string Id, IPage Alice, IPage Bob)> AliceAndBobAsync(int width, int height)
    {
        var id = BrowserFixture.Unique();
        var alice = await fixture.NewUserPageAsync(baseUrl: app.BaseUrl);
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync(baseUrl: app.BaseUrl);
        await bob.SetViewportSizeAsync(width, height);
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
        return (id, alice, bob);
    }
}
