using System.Collections.Concurrent;
using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;

namespace ChatApp.Security;

/// <summary>With an Smtp section, accounts must confirm their email; mail goes through a fake sender here.</summary>
[Trait("Cost", "http")]
public class EmailConfirmationTests : IDisposable
{
    private readonly FakeEmailSender mail = new();
    private readonly ChatAppFactory app;

    public EmailConfirmationTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected EmailConfirmationTests(DatabaseProvider provider)
    {
        app = new ChatAppFactory { Provider = provider };
        app.Settings["Smtp:Host"] = "smtp.example.com";
        app.Settings["Smtp:From"] = "chat@example.com";
        app.Settings["Chat:PublicUrl"] = "https://localhost";
    }

    public void Dispose() => app.Dispose();

    private FormClient NewBrowser() => new(app.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IEmailSender<ApplicationUser>>(mail)))
        .CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));

    [Fact]
    public async Task Registration_sends_a_confirmation_link_and_login_waits_for_it()
    {
        var browser = NewBrowser();

        var registered = await browser.RegisterAsync("Alice", "alice@example.com");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Contains("Account/RegisterConfirmation", registered.Headers.Location!.ToString());
        var link = Assert.Single(mail.Links);
        Assert.Equal("alice@example.com", link.Email);

        var early = await browser.LoginAsync("alice@example.com");
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("Invalid login attempt", await early.Content.ReadAsStringAsync());

        var confirm = await browser.Http.GetAsync(WebUtility.HtmlDecode(link.Url));
        Assert.Contains("Thank you for confirming your email.", await confirm.Content.ReadAsStringAsync());
        var login = await browser.LoginAsync("alice@example.com");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    [Fact]
    public async Task A_configured_admin_email_grants_admin_only_once_confirmed()
    {
        app.Settings["Chat:AdminEmails:0"] = "boss@example.com";
        await NewBrowser().RegisterAsync("First", "first@example.com");
        var browser = NewBrowser();

        await browser.RegisterAsync("Boss", "boss@example.com");
        Assert.False(await IsAdminAsync("boss@example.com"));

        var link = mail.Links.Single(l => l.Email == "boss@example.com");
        await browser.Http.GetAsync(WebUtility.HtmlDecode(link.Url));
        Assert.True(await IsAdminAsync("boss@example.com"));
    }

    private async Task<bool> IsAdminAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.IsInRoleAsync((await users.FindByEmailAsync(email))!, Roles.Admin);
    }

    [Fact]
    public async Task The_confirmation_page_says_the_same_for_any_address()
    {
        var browser = NewBrowser();
        await browser.RegisterAsync("Alice", "alice@example.com");

        var known = await browser.Http.GetStringAsync("/Account/RegisterConfirmation?email=alice@example.com");
        var unknown = await browser.Http.GetStringAsync("/Account/RegisterConfirmation?email=nobody@example.com");

        Assert.Equal(MainOf(known), MainOf(unknown));
        Assert.DoesNotContain("ConfirmEmail", known);
    }

    private static string MainOf(string html)
    {
        var start = html.IndexOf("<main", StringComparison.Ordinal);
        return html[start..html.IndexOf("</main>", start, StringComparison.Ordinal)];
    }

    private sealed class FakeEmailSender : IEmailSender<ApplicationUser>
    {
        public ConcurrentQueue<(string Email, string Url)> Links { get; } = new();

        public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink)
        {
            Links.Enqueue((email, confirmationLink));
            return Task.CompletedTask;
        }

        public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) => Task.CompletedTask;

        public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) => Task.CompletedTask;
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class EmailConfirmationTestsOnPostgres() : EmailConfirmationTests(DatabaseProvider.Postgres);
