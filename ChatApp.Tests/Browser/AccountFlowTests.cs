using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ChatApp.Browser;

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class AccountFlowTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task Register_lands_signed_in_survives_reload_and_logs_out()
    {
        var page = await fixture.NewUserPageAsync();

        await page.RegisterAsync("Reload Rita", "rita@example.com");
        await Assertions.Expect(page.AccountMenu()).ToBeVisibleAsync();
        await Assertions.Expect(page.AccountMenu()).ToContainTextAsync("Reload Rita");

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.AccountMenu()).ToContainTextAsync("Reload Rita");

        await page.AccountMenu().ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();

        await page.GotoAsync("/chat");
        await page.WaitForURLAsync("**/Account/Login**");
    }

    [BrowserFact]
    public async Task Blazor_script_is_served_fingerprinted_and_compressed()
    {
        var page = await fixture.NewUserPageAsync();
        await page.GotoAsync("/");
        var src = await page.Locator("script[src*='_framework/blazor.web']").GetAttributeAsync("src");
        Assert.Matches(@"_framework/blazor\.web\.[a-z0-9]+\.js$", src);

        var plain = await page.APIRequest.GetAsync("/_framework/blazor.web.js", new() { Headers = new Dictionary<string, string> { ["Accept-Encoding"] = "gzip" } });
        Assert.Equal(200, plain.Status);
        Assert.Equal("gzip", plain.Headers.GetValueOrDefault("content-encoding"));
    }
}
