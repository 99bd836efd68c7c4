using System.Net;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

[Trait("Cost", "http")]
public class AdminAccessTests : IDisposable
{
    private readonly ChatAppFactory app;

    public AdminAccessTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AdminAccessTests(DatabaseProvider provider) => app = new() { Provider = provider };

    public void Dispose() => app.Dispose();

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/users")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/settings")]
    public async Task Admin_pages_answer_404_to_anonymous_visitors_and_non_admins_and_200_to_admins(string path)
    {
        var first = new FormClient(app.CreateBrowserLikeClient());
        await first.RegisterAsync("Ada", "ada@example.com");
        var member = new FormClient(app.CreateBrowserLikeClient());
        await member.RegisterAsync("Bob", "bob@example.com");

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateBrowserLikeClient().GetAsync(path)).StatusCode);
        var forMember = await member.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, forMember.StatusCode);
        var missing = await (await member.Http.GetAsync("/no-such-page")).Content.ReadAsStringAsync();
        Assert.Equal(MainContent(missing), MainContent(await forMember.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("href=\"admin\"", await PageAsync(member, "/chat"));
        var forAdmin = await first.Http.GetAsync(path);
        Assert.True(forAdmin.StatusCode == HttpStatusCode.OK, $"{path}: {(int)forAdmin.StatusCode}\n{app.Logs.Errors}");
        Assert.Contains("href=\"admin\"", await PageAsync(first, "/chat"));
    }

    /// <summary>A page's HTML; a failure shows the errors the server logged.</summary>
    private async Task<string> PageAsync(FormClient client, string path)
    {
        var response = await client.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}\n{app.Logs.Errors}");
        return await response.Content.ReadAsStringAsync();
    }

    private static string MainContent(string html)
    {
        var start = html.IndexOf("<main", StringComparison.Ordinal);
        return start < 0 ? html : html[start..html.IndexOf("</main>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task An_account_made_by_an_admin_must_change_its_temporary_password_first()
    {
        await new FormClient(app.CreateBrowserLikeClient()).RegisterAsync("Ada", "ada@example.com");
        await using (var db = app.CreateDbContext())
        {
            var ada = await db.Users.SingleAsync();
            var created = await app.GetRequiredService<AdminUserService>().CreateAsync(new AuditActor(ada.Id, "Ada", null), "Newbie", "newbie@example.com", "Temp-Passw0rd!");
            Assert.True(created.Succeeded, created.Error);
        }
        var newbie = new FormClient(app.CreateBrowserLikeClient());
        await newbie.LoginAsync("newbie@example.com", "Temp-Passw0rd!");

        var chat = await newbie.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/chat") { Headers = { { "Accept", "text/html" } } });
        Assert.Equal(HttpStatusCode.Redirect, chat.StatusCode);
        Assert.StartsWith(PasswordChangeGate.ChangePasswordPath, chat.Headers.Location!.OriginalString);

        var changed = await newbie.PostFormAsync(PasswordChangeGate.ChangePasswordPath, "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = "Temp-Passw0rd!",
            ["Input.NewPassword"] = "Own-Passw0rd!",
            ["Input.ConfirmPassword"] = "Own-Passw0rd!",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var after = await newbie.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/chat") { Headers = { { "Accept", "text/html" } } });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class AdminAccessTestsOnPostgres() : AdminAccessTests(DatabaseProvider.Postgres);
