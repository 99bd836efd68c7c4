using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Security;

/// <summary>Odd query values on the account pages are answered like any bad input: never with a server error.</summary>
[Trait("Cost", "http")]
public sealed class MalformedInputTests : IDisposable
{
    private readonly ChatAppFactory app = new() { Environment = "Production" };

    public void Dispose() => app.Dispose();

    public static TheoryData<string> OddReturnUrls => new()
    {
        "//", "//evil.example", "///evil.example", "http://[", "http://evil.example/", "\0", "%00", "\\\\evil.example", "/\\evil.example",
        "\\/evil.example", "javascript:alert(1)", "\r\nSet-Cookie: x=1", "é/ü", "~", "..%2F..", new string('a', 4000),
    };

    public static TheoryData<string, string> PagesAndOddReturnUrls()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in new[] { "Login", "Register", "LoginWith2fa", "LoginWithRecoveryCode", "ExternalLogin", "ForgotPassword", "ResetPassword", "Lockout", "RegisterConfirmation" })
        {
            foreach (var value in new[] { "//", "http://[", "%00", "\\\\evil.example", new string('a', 4000) })
            {
                data.Add(page, value);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PagesAndOddReturnUrls))]
    public async Task Account_pages_answer_odd_query_values_without_a_server_error(string page, string value)
    {
        var escaped = Uri.EscapeDataString(value);
        var response = await app.CreateBrowserLikeClient().GetAsync($"/Account/{page}?ReturnUrl={escaped}&code={escaped}&userId={escaped}&email={escaped}");

        Assert.True((int)response.StatusCode < 500, $"{page}: {(int)response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(OddReturnUrls))]
    public async Task Signing_in_with_an_odd_return_url_redirects_on_this_site(string returnUrl)
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());

        var response = await browser.PostFormAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login",
            new Dictionary<string, string> { ["Input.Email"] = alice.Email!, ["Input.Password"] = TestUsers.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.Host == "localhost", location.ToString());
    }

    [Theory]
    [MemberData(nameof(OddReturnUrls))]
    public async Task Signing_out_with_an_odd_return_url_redirects_on_this_site(string returnUrl)
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);
        var page = await browser.Http.GetStringAsync("/Account/Manage");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"").Groups["value"].Value;

        var response = await browser.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["returnUrl"] = returnUrl,
        }));

        // A value the form reader refuses is a bad request; anything else leads somewhere on this site.
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, response.StatusCode.ToString());
        var location = response.Headers.Location;
        Assert.True(location is null || !location.IsAbsoluteUri || location.Host == "localhost", location?.ToString());
    }

    [Theory]
    [InlineData("/Account/Logout")]
    [InlineData("/Account/PerformExternalLogin")]
    [InlineData("/Account/PasskeyRequestOptions")]
    [InlineData("/Account/PasskeyCreationOptions")]
    [InlineData("/Account/Manage/LinkExternalLogin")]
    [InlineData("/Account/Manage/DownloadPersonalData")]
    public async Task Account_endpoints_answer_a_post_without_a_valid_token_with_400(string path)
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);

        var response = await browser.Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = "forged",
            ["returnUrl"] = "/",
            ["provider"] = "x",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Personal_data_downloads_with_the_token_of_its_page()
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);
        var page = await browser.Http.GetStringAsync("/Account/Manage/PersonalData");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"").Groups["value"].Value;

        var response = await browser.Http.PostAsync("/Account/Manage/DownloadPersonalData",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(alice.Email!, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_hand_edited_code_in_an_emailed_link_is_an_invalid_link_not_an_error()
    {
        var alice = await app.CreateAsync("Alice");
        var http = app.CreateBrowserLikeClient();

        var confirm = await http.GetAsync($"/Account/ConfirmEmail?userId={alice.Id}&code=%21%21%21");
        var change = await http.GetAsync($"/Account/ConfirmEmailChange?userId={alice.Id}&email=x%40example.com&code=%21%21%21");
        var reset = await http.GetAsync("/Account/ResetPassword?code=%21%21%21");

        Assert.Contains("Error confirming your email.", await confirm.Content.ReadAsStringAsync());
        Assert.Contains("Error changing email.", await change.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Contains("Account/InvalidPasswordReset", reset.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task The_second_factor_pages_opened_directly_lead_to_sign_in(string path)
    {
        var response = await app.CreateBrowserLikeClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/Login", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa?RememberMe=maybe", "Account/Login")]
    [InlineData("/Account/Manage/ChangePassword?mustChange=%00", null)]
    [InlineData("/Account/Manage/ChangePassword?mustChange=yes", null)]
    [InlineData("/chat/general?at=abc", null)]
    [InlineData("/chat/general?at=-1", null)]
    [InlineData("/chat/general?at=99999999999999999999", null)]
    public async Task Query_values_of_the_wrong_type_are_ignored_not_a_server_error(string path, string? redirect)
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);

        var response = await browser.Http.GetAsync(path);

        if (redirect is null)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains(redirect, response.Headers.Location!.ToString());
        }
    }

    [Theory]
    [InlineData("/Account/Manage/Disable2fa")]
    [InlineData("/Account/Manage/GenerateRecoveryCodes")]
    public async Task Two_factor_pages_without_two_factor_lead_back_to_its_settings(string path)
    {
        var alice = await app.CreateAsync("Alice");
        var browser = new FormClient(app.CreateBrowserLikeClient());
        await browser.LoginAsync(alice.Email!);

        var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/Manage/TwoFactorAuthentication", response.Headers.Location!.ToString());
    }
}
