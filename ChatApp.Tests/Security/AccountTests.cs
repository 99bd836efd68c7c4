using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

[Trait("Cost", "http")]
public class AccountTests : IDisposable
{
    private readonly ChatAppFactory app;

    public AccountTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AccountTests(DatabaseProvider provider) => app = new() { Provider = provider };

    public void Dispose() => app.Dispose();

    private FormClient NewBrowser() => new(app.CreateBrowserLikeClient());

    private async Task<bool> IsAdminAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        return await users.IsInRoleAsync(user, Roles.Admin);
    }

    [Fact]
    public async Task Anonymous_request_for_a_chat_page_redirects_to_login()
    {
        var response = await app.CreateBrowserLikeClient().GetAsync("/chat");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Landing_page_offers_log_in_and_register_to_anonymous_users()
    {
        var html = await app.CreateClient().GetStringAsync("/");

        Assert.Contains("href=\"Account/Login\"", html);
        Assert.Contains("href=\"Account/Register\"", html);
    }

    [Fact]
    public async Task Registration_signs_the_user_in_and_lands_in_chat()
    {
        var browser = NewBrowser();
        var response = await browser.RegisterAsync("Alice", "alice@example.com");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/chat", new Uri(browser.Http.BaseAddress!, response.Headers.Location!).AbsolutePath);
        var chat = await browser.Http.GetAsync("/chat");
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task First_registered_user_is_admin_and_the_second_is_not()
    {
        await NewBrowser().RegisterAsync("Alice", "alice@example.com");
        await NewBrowser().RegisterAsync("Bob", "bob@example.com");

        Assert.True(await IsAdminAsync("alice@example.com"));
        Assert.False(await IsAdminAsync("bob@example.com"));
    }

    [Fact]
    public async Task Simultaneous_first_registrations_grant_admin_exactly_once()
    {
        var provisioner = Enumerable.Range(0, 8).Select(async i =>
        {
            using var scope = app.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { DisplayName = $"Racer {i}", UserName = $"racer{i}@example.com", Email = $"racer{i}@example.com" };
            Assert.True((await users.CreateAsync(user, TestUsers.Password)).Succeeded);
            await scope.ServiceProvider.GetRequiredService<AccountProvisioner>().ProvisionAsync(user);
        });
        await Task.WhenAll(provisioner);

        await using var db = app.CreateDbContext();
        var admins = await db.UserRoles.CountAsync(r => r.RoleId == Roles.AdminRoleId);
        Assert.Equal(1, admins);
    }

    [Fact]
    public async Task Configured_admin_email_is_granted_admin_on_registration()
    {
        app.Settings["Chat:AdminEmails:0"] = "boss@example.com";
        await NewBrowser().RegisterAsync("First", "first@example.com");
        await NewBrowser().RegisterAsync("Boss", "boss@example.com");

        Assert.True(await IsAdminAsync("boss@example.com"));
    }

    [Fact]
    public async Task Display_names_are_unique_ignoring_case()
    {
        await NewBrowser().RegisterAsync("Alice", "alice@example.com");
        var response = await NewBrowser().RegisterAsync("ALICE", "other@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That display name is already taken.", await response.Content.ReadAsStringAsync());
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Closed_registration_says_so_and_creates_no_account()
    {
        app.Settings["Chat:Registration"] = "Closed";
        var browser = NewBrowser();
        var page = await browser.Http.GetStringAsync("/Account/Register");
        Assert.Contains("Registration is closed", page);

        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Failed_passwords_lock_the_account_and_the_answer_never_reveals_it()
    {
        await NewBrowser().RegisterAsync("Alice", "alice@example.com");
        var browser = NewBrowser();

        var answers = new List<string>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var response = await browser.LoginAsync("alice@example.com", "wrong-password-1A!");
            answers.Add(await ExtractAlertAsync(response));
        }
        var unknown = await ExtractAlertAsync(await browser.LoginAsync("nobody@example.com", "wrong-password-1A!"));

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync("alice@example.com"))!));
        }
        // The right password is refused while locked, with the same words as for an unknown account.
        var locked = await ExtractAlertAsync(await browser.LoginAsync("alice@example.com"));
        Assert.All(answers.Append(locked), answer => Assert.Equal(unknown, answer));
    }

    private static async Task<string> ExtractAlertAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var start = html.IndexOf("role=\"alert\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "No alert on the login page");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)].Trim();
    }
    [Fact]
    public async Task The_profile_changes_the_display_name_and_refuses_a_taken_one()
    {
        await NewBrowser().RegisterAsync("Bob", "bob@example.com");
        var alice = NewBrowser();
        await alice.RegisterAsync("Alice", "alice@example.com");

        var taken = await alice.PostFormAsync("/Account/Manage", "profile", new Dictionary<string, string> { ["Input.DisplayName"] = "BOB" });
        var renamed = await alice.PostFormAsync("/Account/Manage", "profile", new Dictionary<string, string> { ["Input.DisplayName"] = "Alice Liddell" });

        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.Equal(["Alice Liddell", "Bob"], await db.Users.OrderBy(u => u.DisplayName).Select(u => u.DisplayName).ToListAsync());
        Assert.Contains("Alice Liddell", await alice.Http.GetStringAsync("/Account/Manage"));
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class AccountTestsOnPostgres() : AccountTests(DatabaseProvider.Postgres);
