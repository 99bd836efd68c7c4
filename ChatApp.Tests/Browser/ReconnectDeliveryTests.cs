using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class ReconnectDeliveryTests(BrowserFixture fixture)
{
    /// <summary>
    /// .NET's client retries at once ten times, then every 5 s (then every 30 s). Once past the quick retries, a
    /// tab whose network came back used to wait for the next 5-s tick: live delivery (and the catch-up) came that
    /// much later. Nobody presses Retry here.
    /// </summary>
    [BrowserFact]
    public async Task Live_delivery_resumes_as_soon_as_the_network_is_back()
    {
        var id = BrowserFixture.Unique();
        var alice = await fixture.NewUserPageAsync();
        await alice.RegisterAsync($"Alice {id}", $"alice.{id}@example.com");
        var bob = await fixture.NewUserPageAsync(context => context.AllowConnectionDropsAsync());
        await bob.RegisterAsync($"Bob {id}", $"bob.{id}@example.com");

        await bob.DropConnectionAsync();
        await Expect(bob.GetByText("Reconnecting…")).ToBeVisibleAsync();
        await alice.SendAsync($"while away {id}");
        // Past the quick retries: the client now waits 5 s between attempts.
        await Task.Delay(TimeSpan.FromSeconds(4));

        await bob.EvaluateAsync("() => { window.__chatOffline = false; }");
        await bob.Context.SetOfflineAsync(false);
        await alice.SendAsync($"first after {id}");

        var fast = new LocatorAssertionsToBeVisibleOptions { Timeout = 2000 };
        await Expect(bob.Message($"first after {id}")).ToBeVisibleAsync(fast);
        await Expect(bob.GetByText("Reconnecting…")).ToBeHiddenAsync();
        var texts = await bob.MessageLog().Locator("article .message-text").AllInnerTextsAsync();
        Assert.Equal([$"while away {id}", $"first after {id}"], texts.Where(t => t.Contains(id, StringComparison.Ordinal)));
        await alice.SendAsync($"and the next {id}");
        await Expect(bob.Message($"and the next {id}")).ToBeVisibleAsync(new() { Timeout = 1000 });
    }
}
