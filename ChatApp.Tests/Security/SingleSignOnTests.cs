using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>Sign-in through a real OpenID Connect provider (OpenIddict, in this process): accounts, linking and refusals.</summary>
[Trait("Cost", "http")]
public sealed class SingleSignOnTests(OpenIdProvider provider) : IClassFixture<OpenIdProvider>
{
    private async Task<ChatAppFactory> StartAsync(params (string Key, string Value)[] settings)
    {
        var app = new ChatAppFactory();
        foreach (var (key, value) in provider.ChatAppSettings().Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))))
        {
            app.Settings[key] = value;
        }
        await provider.AllowRedirectAsync("https://localhost/");
        _ = app.Server;
        return app;
    }

    private static async Task<string> LoginPageTextAsync(FormClient client) =>
        WebUtility.HtmlDecode(await client.Http.GetStringAsync("/Account/Login"));

    [Fact]
    public async Task First_sign_in_creates_an_account_with_the_providers_verified_email_when_registration_is_open()
    {
        await using var app = await StartAsync();
        var person = provider.AddUser("Fiona First");
        provider.NextSignIn = person;
        var client = new FormClient(app.CreateBrowserLikeClient());

        var landing = await client.SignInWithProviderAsync();

        Assert.Equal("/chat", landing.RedirectPath(client.Http.BaseAddress!));
        Assert.True(await client.Http.IsSignedInAsync());
        // The challenge is a form post that redirects to the provider: the login page's CSP must let that form go there.
        var login = await client.Http.GetAsync("/Account/Login");
        Assert.Contains($"form-action 'self' {provider.Authority.TrimEnd('/')};", string.Join(";", login.Headers.GetValues("Content-Security-Policy")) + ";");
        await using var db = app.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == person.Email);
        Assert.Equal("Fiona First", user.DisplayName);
        Assert.True(user.EmailConfirmed);
        var link = await db.UserLogins.SingleAsync(l => l.UserId == user.Id);
        Assert.Equal((OpenIdProvider.Scheme, person.Subject), (link.LoginProvider, link.ProviderKey));
        Assert.True(await db.UserTokens.AnyAsync(t => t.UserId == user.Id && t.LoginProvider == OpenIdProvider.Scheme && t.Name == "refresh_token"));
    }

    [Fact]
    public async Task First_sign_in_creates_no_account_when_registration_is_closed()
    {
        await using var app = await StartAsync(("Chat:Registration", "Closed"));
        var person = provider.AddUser("Carl Closed");
        provider.NextSignIn = person;
        var client = new FormClient(app.CreateBrowserLikeClient());

        var landing = await client.SignInWithProviderAsync();

        Assert.Equal("/Account/Login", landing.RedirectPath(client.Http.BaseAddress!));
        Assert.Contains("Registration is closed on this server, so no account was created for you.", await LoginPageTextAsync(client));
        Assert.False(await client.Http.IsSignedInAsync());
        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == person.Email));
    }

    [Fact]
    public async Task A_verified_email_links_the_provider_to_the_existing_account_and_signs_in_to_it()
    {
        await using var app = await StartAsync();
        var existing = await app.CreateAsync("Vera Verified");
        provider.NextSignIn = provider.AddUser("Vera at the provider", emailVerified: true, email: existing.Email);
        var client = new FormClient(app.CreateBrowserLikeClient());

        var landing = await client.SignInWithProviderAsync();

        Assert.Equal("/chat", landing.RedirectPath(client.Http.BaseAddress!));
        Assert.Contains("Vera Verified", await client.Http.GetStringAsync("/chat"));
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == existing.Email));
        Assert.Equal(existing.Id, (await db.UserLogins.SingleAsync(l => l.LoginProvider == OpenIdProvider.Scheme && l.ProviderKey == provider.NextSignIn.Subject)).UserId);
    }

    [Fact]
    public async Task An_email_the_provider_did_not_verify_is_not_linked_to_the_existing_account()
    {
        await using var app = await StartAsync();
        var existing = await app.CreateAsync("Umberto Unverified");
        provider.NextSignIn = provider.AddUser("Not really Umberto", emailVerified: false, email: existing.Email);
        var client = new FormClient(app.CreateBrowserLikeClient());

        var landing = await client.SignInWithProviderAsync();

        Assert.Equal("/Account/Login", landing.RedirectPath(client.Http.BaseAddress!));
        Assert.Contains($"An account with this email exists, but {OpenIdProvider.DisplayName} does not confirm the address is yours, so it was not linked.",
            await LoginPageTextAsync(client));
        Assert.False(await client.Http.IsSignedInAsync());
        await using var db = app.CreateDbContext();
        Assert.False(await db.UserLogins.AnyAsync(l => l.UserId == existing.Id));
    }

    [Fact]
    public async Task A_provider_configured_to_be_trusted_with_email_addresses_links_them_without_the_verified_claim()
    {
        // For providers that only hand out addresses they own (a company's Entra ID tenant) and send no email_verified.
        await using var app = await StartAsync(($"Authentication:OpenIdConnect:Providers:{OpenIdProvider.Scheme}:TrustEmailAddresses", "true"));
        var existing = await app.CreateAsync("Tristan Trusted");
        provider.NextSignIn = provider.AddUser("Tristan at the tenant", emailVerified: false, email: existing.Email);
        var client = new FormClient(app.CreateBrowserLikeClient());

        var landing = await client.SignInWithProviderAsync();

        Assert.Equal("/chat", landing.RedirectPath(client.Http.BaseAddress!));
        await using var db = app.CreateDbContext();
        Assert.Equal(existing.Id, (await db.UserLogins.SingleAsync(l => l.LoginProvider == OpenIdProvider.Scheme && l.ProviderKey == provider.NextSignIn.Subject)).UserId);
    }

    [Fact]
    public async Task The_challenge_endpoint_refuses_a_post_without_antiforgery_token_and_an_unknown_scheme()
    {
        await using var app = await StartAsync();
        var client = new FormClient(app.CreateBrowserLikeClient());
        var forged = await client.Http.PostAsync("/Account/PerformExternalLogin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["provider"] = OpenIdProvider.Scheme,
            ["ReturnUrl"] = "chat",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var token = await client.AntiforgeryTokenAsync("/Account/Login");
        var unknown = await client.Http.PostAsync("/Account/PerformExternalLogin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["provider"] = "Identity.Application",
            ["ReturnUrl"] = "chat",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task An_account_without_a_required_claim_is_refused()
    {
        await using var app = await StartAsync(($"Authentication:OpenIdConnect:Providers:{OpenIdProvider.Scheme}:RequiredClaims:hd", "example.com"));
        var outsider = provider.AddUser("Oscar Outsider");
        provider.NextSignIn = outsider;
        var client = new FormClient(app.CreateBrowserLikeClient());

        var landing = await client.SignInWithProviderAsync();

        Assert.Equal("/Account/Login", landing.RedirectPath(client.Http.BaseAddress!));
        Assert.Contains($"Your {OpenIdProvider.DisplayName} account is not one this server accepts", await LoginPageTextAsync(client));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == outsider.Email));
    }

    [Fact]
    public async Task While_single_sign_on_is_required_password_sign_in_is_refused_on_the_server_except_for_break_glass_accounts()
    {
        await using var app = await StartAsync(("Authentication:OpenIdConnect:BreakGlassEmails:0", "glass.admin@example.com"));
        await app.CreateAsync("Glass Admin", admin: true);
        await app.CreateAsync("Paula Password");
        var before = new FormClient(app.CreateBrowserLikeClient());
        Assert.Equal(HttpStatusCode.Redirect, (await before.LoginAsync("paula.password@example.com")).StatusCode);

        await app.GetRequiredService<SingleSignOnPolicy>().SetRequiredAsync(true);

        var paula = new FormClient(app.CreateBrowserLikeClient());
        var refused = await paula.LoginAsync("paula.password@example.com");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(SingleSignOnPolicy.PasswordSignInOff, WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.False(await paula.Http.IsSignedInAsync());

        var glass = new FormClient(app.CreateBrowserLikeClient());
        Assert.Equal(HttpStatusCode.Redirect, (await glass.LoginAsync("glass.admin@example.com")).StatusCode);
        Assert.True(await glass.Http.IsSignedInAsync());

        var registration = new FormClient(app.CreateBrowserLikeClient());
        Assert.Contains("This server requires single sign-on", await registration.Http.GetStringAsync("/Account/Register"));

        provider.NextSignIn = provider.AddUser("Sam Single");
        var sso = new FormClient(app.CreateBrowserLikeClient());
        Assert.Equal("/chat", (await sso.SignInWithProviderAsync()).RedirectPath(sso.Http.BaseAddress!));
        await using var db = app.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SignInFailed && e.Details == "password refused: single sign-on is required"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_a_provider_sign_in_started()
    {
        await using var app = await StartAsync();
        provider.NextSignIn = provider.AddUser("Olga Out");
        var client = new FormClient(app.CreateBrowserLikeClient());
        var landing = await client.SignInWithProviderAsync();
        var copied = landing.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];

        var page = await client.Http.GetStringAsync("/chat");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var loggedOut = await client.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["ReturnUrl"] = "",
        }));

        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        var replay = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        replay.DefaultRequestHeaders.Add("Cookie", copied);
        Assert.False(await replay.IsSignedInAsync());
        await using var db = app.CreateDbContext();
        Assert.False(await db.UserSessions.AnyAsync());
    }

    [Fact]
    public async Task Revalidation_ends_the_session_of_someone_disabled_at_the_provider_within_the_interval_and_no_one_elses()
    {
        await using var app = await StartAsync(("Authentication:OpenIdConnect:RevalidateEvery", "00:00:01"));
        var leaver = provider.AddUser("Lena Leaver");
        var stayer = provider.AddUser("Stan Stayer");
        provider.NextSignIn = leaver;
        var leaverClient = new FormClient(app.CreateBrowserLikeClient());
        await leaverClient.SignInWithProviderAsync();
        provider.NextSignIn = stayer;
        var stayerClient = new FormClient(app.CreateBrowserLikeClient());
        await stayerClient.SignInWithProviderAsync();
        Assert.True(await leaverClient.Http.IsSignedInAsync());

        leaver.Disabled = true;

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await leaverClient.Http.IsSignedInAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "The disabled user still had a session 15 s after the provider refused them.");
            await Task.Delay(250);
        }
        var grantsThen = provider.RefreshGrants;
        await WaitUntilAsync(() => provider.RefreshGrants >= grantsThen + 2);
        Assert.True(await stayerClient.Http.IsSignedInAsync());
        await using var db = app.CreateDbContext();
        var leaverId = await db.Users.Where(u => u.Email == leaver.Email).Select(u => u.Id).SingleAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ProviderRevoked && e.TargetId == leaverId));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(100);
        }
    }
}
