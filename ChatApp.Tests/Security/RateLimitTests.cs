using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Security;

[Trait("Cost", "http")]
public sealed class RateLimitTests : IDisposable
{
    private readonly ChatAppFactory app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Login_attempts_are_limited_per_client_at_the_default_of_20_a_minute()
    {
        app.Settings.Remove("Chat:RateLimit:AccountAttemptsPerMinute");
        var browser = new FormClient(app.CreateBrowserLikeClient());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await browser.LoginAsync($"nobody{i}@example.com", "wrong-Password1")).StatusCode);
        }

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
        // Reading the page is not an attempt.
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Account/Login")).StatusCode);
    }

    [Fact]
    public async Task Registrations_share_the_account_limit()
    {
        app.Settings["Chat:RateLimit:AccountAttemptsPerMinute"] = "3";
        var browser = new FormClient(app.CreateBrowserLikeClient());

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await browser.RegisterAsync($"User {i}", $"user{i}@example.com")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.RegisterAsync("User 4", "user4@example.com")).StatusCode);
    }

    [Fact]
    public async Task Blazor_connects_are_limited_per_client()
    {
        app.Settings["Chat:RateLimit:ConnectsPerMinute"] = "5";
        app.StartKestrel();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", app.BaseUrl.TrimEnd('/'));
            statuses.Add((await http.SendAsync(request)).StatusCode);
        }

        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
    }

    [Theory]
    [InlineData("/Account/Login/")]
    [InlineData("/account/LOGIN")]
    [InlineData("/Account/%4Cogin")]
    [InlineData("/Account/Login?handler=login")]
    [InlineData("/Account/Login/?_handler=login")]
    public async Task Every_spelling_of_the_login_path_that_reaches_the_form_is_counted(string path)
    {
        app.Settings["Chat:RateLimit:AccountAttemptsPerMinute"] = "3";
        var browser = new FormClient(app.CreateBrowserLikeClient());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var response = await PostLoginAsync(browser, path, $"nobody{i}@example.com");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                // Proof the spelling reached the sign-in form and tested a password.
                Assert.Contains("Invalid login attempt", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.All(statuses.Take(3), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostLoginAsync(browser, "/Account/Login", "nobody@example.com")).StatusCode);
    }

    [Theory]
    [InlineData("//Account/Login")]
    [InlineData("/Account//Login")]
    [InlineData("/Account/Login%2F")]
    public async Task A_spelling_routing_does_not_send_to_the_form_tests_no_password(string path)
    {
        var response = await PostLoginAsync(new FormClient(app.CreateBrowserLikeClient()), path, "nobody@example.com");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Invalid login attempt", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/Account/Register")]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    [InlineData("/Account/ForgotPassword")]
    [InlineData("/Account/ResendEmailConfirmation")]
    [InlineData("/Account/Manage/ChangePassword")]
    [InlineData("/Account/PasskeyRequestOptions")]
    [InlineData("/Account/PasskeyCreationOptions")]
    [InlineData("/account/forgotpassword/")]
    public async Task Posts_to_every_account_form_share_the_limit_and_reading_stays_free(string path)
    {
        app.Settings["Chat:RateLimit:AccountAttemptsPerMinute"] = "3";
        using var http = app.CreateBrowserLikeClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }))).StatusCode);
        }

        Assert.All(statuses.Take(3), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.GetAsync("/Account/ForgotPassword")).StatusCode);
    }

    [Theory]
    [InlineData("/_blazor/negotiate/?negotiateVersion=1")]
    [InlineData("/_BLAZOR/Negotiate?negotiateVersion=1")]
    [InlineData("/_blazor/%6Eegotiate?negotiateVersion=1")]
    public async Task Every_spelling_of_the_Blazor_negotiate_path_is_counted(string path)
    {
        app.Settings["Chat:RateLimit:ConnectsPerMinute"] = "3";
        app.StartKestrel();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path);
            request.Headers.Add("Origin", app.BaseUrl.TrimEnd('/'));
            statuses.Add((await http.SendAsync(request)).StatusCode);
        }

        Assert.All(statuses.Take(3), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
    }

    [Fact]
    public async Task Blazor_connection_requests_are_limited_whatever_their_spelling()
    {
        app.Settings["Chat:RateLimit:ConnectsPerMinute"] = "3";
        app.StartKestrel();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/_blazor", "/_blazor/", "/_Blazor", "/_blazor?id=x" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", app.BaseUrl.TrimEnd('/'));
            statuses.Add((await http.SendAsync(request)).StatusCode);
        }

        Assert.All(statuses.Take(3), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
    }

    /// <summary>The sign-in form filled as a browser would, with its token from the canonical page, posted to <paramref name="path"/>.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(FormClient browser, string path, string email)
    {
        var page = await browser.Http.GetStringAsync("/Account/Login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"").Groups["value"].Value;
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = "wrong-Password1",
            ["_handler"] = "login",
        };
        return await browser.Http.PostAsync(path, new FormUrlEncodedContent(fields));
    }
}
