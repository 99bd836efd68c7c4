using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Security;

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
}
