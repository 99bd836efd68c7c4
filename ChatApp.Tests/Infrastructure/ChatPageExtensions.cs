using Microsoft.Playwright;

namespace ChatApp.Tests.Infrastructure;

/// <summary>The chat's accessible contract, as the browser tests use it.</summary>
public static class ChatPageExtensions
{
    public static ILocator Composer(this IPage page) => page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });

    public static ILocator MessageLog(this IPage page) => page.GetByRole(AriaRole.Log, new() { Name = "Messages" });

    public static ILocator Message(this IPage page, string text) => page.MessageLog().Locator("article", new() { HasText = text });

    /// <summary>
    /// The account menu's button: a details/summary disclosure, which Playwright's role queries do not list as a
    /// button (Chromium exposes it as one, named "Name: account menu" by its text, which UserMenuTests checks).
    /// </summary>
    public static ILocator AccountMenu(this IPage page, string? displayName = null) =>
        page.Locator("details.user-menu > summary", new() { HasText = $"{displayName}: account menu" });

    public static ILocator RoomsNav(this IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" });

    public static ILocator DirectMessagesNav(this IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Direct messages" });

    /// <summary>Types and presses Enter, then waits until the message is shown as sent.</summary>
    public static async Task SendAsync(this IPage page, string text)
    {
        await page.Composer().FillAsync(text);
        await page.Composer().PressAsync("Enter");
        await Assertions.Expect(page.Message(text)).ToBeVisibleAsync();
        await Assertions.Expect(page.Composer()).ToHaveValueAsync("");
    }

    /// <summary>Creates a private room from the sidebar and waits until its page is open.</summary>
    public static async Task CreatePrivateRoomAsync(this IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(name);
        await page.GetByText("Private — invited people only").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        // An in-app navigation (history API), so poll the address instead of waiting for a page load.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chat/{name}$"));
    }

    /// <summary>
    /// Makes a browser context able to lose its connection on demand: WebSockets opened while
    /// <c>window.__chatOffline</c> is set go nowhere, and <see cref="DropConnectionAsync"/> closes the live one.
    /// </summary>
    public static Task AllowConnectionDropsAsync(this IBrowserContext context) => context.AddInitScriptAsync("""
        (() => {
            const Native = window.WebSocket;
            window.__chatSockets = [];
            window.__chatOffline = false;
            window.WebSocket = class extends Native {
                constructor(url, ...rest) {
                    super(window.__chatOffline ? 'ws://127.0.0.1:9/' : url, ...rest);
                    window.__chatSockets.push(this);
                }
            };
        })();
        """);

    public static async Task DropConnectionAsync(this IPage page)
    {
        await page.EvaluateAsync("() => { window.__chatOffline = true; window.__chatSockets.forEach(s => s.close()); }");
        await page.Context.SetOfflineAsync(true);
    }

    /// <summary>Back online, and retry at once (as the reconnect dialog's Retry does) instead of waiting for the backoff.</summary>
    public static async Task RestoreConnectionAsync(this IPage page)
    {
        await page.Context.SetOfflineAsync(false);
        await page.EvaluateAsync("() => { window.__chatOffline = false; window.Blazor?.reconnect?.(); }");
    }
}
