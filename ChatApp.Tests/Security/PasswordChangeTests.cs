using System.Net;
using System.Net.Http.Headers;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace ChatApp.Security;

/// <summary>The change-password form: wrong current passwords lock the account; a temporary password gates every page.</summary>
[Trait("Cost", "http")]
public sealed class PasswordChangeTests : IDisposable
{
    private readonly ChatAppFactory app = new();

    public void Dispose() => app.Dispose();

    private static Task<HttpResponseMessage> ChangePasswordAsync(FormClient browser, string current) =>
        browser.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = current,
            ["Input.NewPassword"] = "New-Passw0rd!",
            ["Input.ConfirmPassword"] = "New-Passw0rd!",
        });

    [Fact]
    public async Task Wrong_current_passwords_lock_the_account_like_wrong_sign_ins()
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);

        HttpResponseMessage last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await ChangePasswordAsync(browser, $"Wrong-Passw0rd{i}");
        }

        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(alice.Id))!));
        Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
        Assert.Contains("Account/Lockout", last.Headers.Location!.ToString());
        // The right password does not get through the lock either.
        Assert.Contains("Invalid login attempt", await (await new FormClient(app.CreateBrowserLikeClient()).LoginAsync(alice.Email!)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_and_the_right_one_changes_it()
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);

        var wrong = await ChangePasswordAsync(browser, "Wrong-Passw0rd");
        var right = await ChangePasswordAsync(browser, TestUsers.Password);

        Assert.Contains("Incorrect password", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await new FormClient(app.CreateBrowserLikeClient()).LoginAsync(alice.Email!, "New-Passw0rd!")).StatusCode);
    }

    [Theory]
    [InlineData("/chat/a.b")]
    [InlineData("/chat/general.css")]
    [InlineData("/admin.js")]
    public async Task A_temporary_password_gates_pages_whose_path_has_a_dot(string path)
    {
        var browser = await SignInWithTemporaryPasswordAsync();

        var response = await GetPageAsync(browser, path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(PasswordChangeGate.ChangePasswordPath, response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_temporary_password_still_loads_real_static_assets()
    {
        var browser = await SignInWithTemporaryPasswordAsync();

        var response = await GetPageAsync(browser, "/favicon.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<FormClient> SignInWithTemporaryPasswordAsync()
    {
        var carol = await app.CreateAsync("Carol");
        await using (var db = app.CreateDbContext())
        {
            var user = await db.Users.FindAsync(carol.Id);
            user!.MustChangePassword = true;
            await db.SaveChangesAsync();
        }
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(carol.Email!);
        return browser;
    }

    private static Task<HttpResponseMessage> GetPageAsync(FormClient browser, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return browser.Http.SendAsync(request);
    }
}
