using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

/// <summary>The app on Kestrel pointed at the test OpenID Connect provider, and one Chromium.</summary>
public sealed class SingleSignOnBrowserFixture : IAsyncLifetime
{
    public OpenIdProvider Provider { get; } = new();

    public ChatAppFactory App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? playwright;

    public async Task InitializeAsync()
    {
        await Provider.InitializeAsync();
        foreach (var (key, value) in Provider.ChatAppSettings())
        {
            App.Settings[key] = value;
        }
        App.Settings["Authentication:OpenIdConnect:RevalidateEvery"] = "00:00:02";
        App.Settings["Authentication:OpenIdConnect:BreakGlassEmails:0"] = "gail.glass@example.com";
        App.StartKestrel();
        await Provider.AllowRedirectAsync(App.BaseUrl);
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(playwright);
    }

    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = App.BaseUrl, ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await App.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

[Trait("Cost", "browser")]
public sealed class SingleSignOnBrowserTests(SingleSignOnBrowserFixture fixture) : IClassFixture<SingleSignOnBrowserFixture>
{
    private const string Shots = "/tmp/sso-shots";

    private static Task ShootAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        return page.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"{name}.png") });
    }

    [BrowserTheory]
    [InlineData("desktop", 1280, 800)]
    [InlineData("phone", 390, 844)]
    public async Task Signing_in_with_the_provider_opens_the_chat_and_disabling_the_person_there_signs_the_tab_out(string size, int width, int height)
    {
        var person = fixture.Provider.AddUser($"Pat {size} {BrowserFixture.Unique()}");
        fixture.Provider.NextSignIn = person;
        var page = await fixture.NewPageAsync(width, height);
        try
        {
            await page.GotoAsync("/Account/Login");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {OpenIdProvider.DisplayName}" })).ToBeVisibleAsync();
            await Axe.AssertNoViolationsAsync(page, $"the login page with a provider ({size})");
            await ShootAsync(page, $"login-{size}");

            await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {OpenIdProvider.DisplayName}" }).ClickAsync();

            await page.WaitForURLAsync("**/chat**");
            await page.WaitForCircuitAsync();
            await Expect(page.Composer()).ToBeVisibleAsync();
            await ShootAsync(page, $"chat-{size}");

            person.Disabled = true;

            // Revalidation runs every 2 s here; the tab is ended like any revoked session.
            await Expect(page.GetByText("You have been signed out")).ToBeVisibleAsync();
            await Expect(page.Composer()).ToHaveCountAsync(0);
            await ShootAsync(page, $"signed-out-{size}");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task An_admin_requires_single_sign_on_and_the_login_page_keeps_password_sign_in_only_behind_break_glass()
    {
        var admin = await fixture.App.CreateAsync("Gail Glass", admin: true);
        var policy = fixture.App.GetRequiredService<SingleSignOnPolicy>();
        var page = await fixture.NewPageAsync(1280, 800);
        try
        {
            await page.LoginAsync(admin.Email!);
            await page.GotoAsync("/admin/settings");
            await page.WaitForCircuitAsync();
            var requireSso = page.GetByRole(AriaRole.Switch, new() { Name = "Require single sign-on" })
                .Or(page.GetByRole(AriaRole.Checkbox, new() { Name = "Require single sign-on" }));
            await requireSso.CheckAsync();
            await Expect(page.GetByText("Single sign-on is now required.")).ToBeVisibleAsync();
            Assert.True(await policy.IsRequiredAsync());
            await ShootAsync(page, "admin-settings-desktop");

            var visitor = await fixture.NewPageAsync(390, 844);
            await visitor.GotoAsync("/Account/Login");
            await Expect(visitor.GetByText("This server requires single sign-on.")).ToBeVisibleAsync();
            await Expect(visitor.GetByLabel("Password")).Not.ToBeVisibleAsync();
            await visitor.GetByText("Break-glass administrator sign-in").ClickAsync();
            await Expect(visitor.GetByLabel("Password")).ToBeVisibleAsync();
            await Axe.AssertNoViolationsAsync(visitor, "the login page while single sign-on is required");
            await ShootAsync(visitor, "login-sso-required-phone");
            await visitor.Context.CloseAsync();
        }
        finally
        {
            await policy.SetRequiredAsync(false);
            await page.Context.CloseAsync();
        }
    }
}
