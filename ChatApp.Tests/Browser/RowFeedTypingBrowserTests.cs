using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>
/// Who is typing in a room with row feeds, in Chromium (an app of its own where any room of more than one member has
/// feeds, and people are shown typing up to 100 members): the reader's browser keeps the typing line from its feed,
/// shows the typist, and clears the line when the typist's row arrives.
/// </summary>
[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class RowFeedTypingBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly ChatAppFactory app = new();

    public Task InitializeAsync()
    {
        app.Settings["Chat:LiveRowsMembers"] = "1";
        app.Settings["Chat:RateLimit:Burst"] = "1000";
        app.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [BrowserTheory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_feed_shows_who_is_typing_and_their_row_clears_it(int width, int height)
    {
        var id = BrowserFixture.Unique();
        var alice = await fixture.NewUserPageAsync(baseUrl: app.BaseUrl);
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync(baseUrl: app.BaseUrl);
        await bob.SetViewportSizeAsync(width, height);
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");
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
}
