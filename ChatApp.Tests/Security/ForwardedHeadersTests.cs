using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto count only when they come from an address in
/// Chat:ForwardedHeaders:KnownProxies. The tests' client plays the proxy (127.0.0.1) or a direct client that is
/// not one (the configured proxy is then 192.0.2.10, an address that is never contacted).
/// </summary>
[Trait("Cost", "http")]
public sealed class ForwardedHeadersTests
{
    private const string ThisMachine = "127.0.0.1";
    private const string SomeOtherProxy = "192.0.2.10";

    private static ChatAppFactory StartApp(string? knownProxy, params (string Key, string Value)[] settings)
    {
        var app = new ChatAppFactory();
        if (knownProxy is not null)
        {
            app.Settings["Chat:ForwardedHeaders:KnownProxies:0"] = knownProxy;
        }
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }
        return app.StartKestrel();
    }

    /// <summary>A failed sign-in claiming to come from <paramref name="forwardedFor"/>; the audit log records the address the app believed.</summary>
    private static async Task<HttpStatusCode> FailedSignInAsync(ChatAppFactory app, string forwardedFor)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var response = await new FormClient(http).LoginAsync($"nobody.{Guid.NewGuid():N}@example.com", "wrong-Password1");
        return response.StatusCode;
    }

    private static async Task<List<string?>> RecordedAddressesAsync(ChatAppFactory app)
    {
        await using var db = app.CreateDbContext();
        return await db.AuditEntries.Where(e => e.Action == AuditActions.SignInFailed).OrderBy(e => e.Id).Select(e => e.IpAddress).ToListAsync();
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(ChatAppFactory app, string origin, string? forwardedProto)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_forwarded_client_is_recorded_and_rate_limited_on_its_own()
    {
        using var app = StartApp(ThisMachine, ("Chat:RateLimit:AccountAttemptsPerMinute", "2"));

        Assert.Equal(HttpStatusCode.OK, await FailedSignInAsync(app, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await FailedSignInAsync(app, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailedSignInAsync(app, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await FailedSignInAsync(app, "203.0.113.8"));

        Assert.Equal(["203.0.113.7", "203.0.113.7", "203.0.113.8"], await RecordedAddressesAsync(app));
    }

    [Fact]
    public async Task Behind_a_known_proxy_only_the_address_the_proxy_appended_counts()
    {
        using var app = StartApp(ThisMachine);

        // The client put 198.51.100.1 in the header itself; the proxy appended the address it saw.
        await FailedSignInAsync(app, "198.51.100.1, 203.0.113.7");

        Assert.Equal(["203.0.113.7"], await RecordedAddressesAsync(app));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(SomeOtherProxy)]
    public async Task A_client_that_is_not_a_known_proxy_cannot_choose_its_address(string? knownProxy)
    {
        using var app = StartApp(knownProxy, ("Chat:RateLimit:AccountAttemptsPerMinute", "2"));

        Assert.Equal(HttpStatusCode.OK, await FailedSignInAsync(app, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await FailedSignInAsync(app, "203.0.113.2"));
        // A new address per attempt does not buy a new rate limit.
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailedSignInAsync(app, "203.0.113.3"));

        Assert.Equal([ThisMachine, ThisMachine], await RecordedAddressesAsync(app));
    }

    [Fact]
    public async Task Behind_a_TLS_terminating_proxy_the_public_https_origin_opens_the_Blazor_connection()
    {
        using var app = StartApp(ThisMachine);
        var authority = new Uri(app.BaseUrl).Authority;

        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(app, $"https://{authority}", forwardedProto: "https")).StatusCode);
        // The request the app sees is https now, so the plain-http origin is another origin.
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(app, $"http://{authority}", forwardedProto: "https")).StatusCode);

        var negotiate = await NegotiateAsync(app, $"https://{authority}", forwardedProto: "https");
        using var json = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", $"https://{authority}");
        socket.Options.SetRequestHeader("X-Forwarded-Proto", "https");
        await socket.ConnectAsync(new Uri($"ws://{authority}/_blazor?id={json.RootElement.GetProperty("connectionToken").GetString()}"), CancellationToken.None);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(SomeOtherProxy)]
    public async Task A_forwarded_scheme_from_a_client_that_is_not_a_known_proxy_is_ignored_by_the_origin_check(string? knownProxy)
    {
        using var app = StartApp(knownProxy);
        var authority = new Uri(app.BaseUrl).Authority;

        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(app, $"https://{authority}", forwardedProto: "https")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(app, $"http://{authority}", forwardedProto: "https")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_loopback_only_diagnostics_refuse_a_forwarded_remote_client()
    {
        using var app = StartApp(ThisMachine, ("Chat:Diagnostics", "true"));
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var proxied = new HttpRequestMessage(HttpMethod.Get, "/diagnostics/runtime");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");

        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(proxied)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/diagnostics/runtime")).StatusCode);
    }

    [Theory]
    [InlineData("Chat:ForwardedHeaders:KnownProxies:0", "proxy.internal", "Chat:ForwardedHeaders:KnownProxies must be IP addresses")]
    [InlineData("Chat:TrustForwardedHeaders", "true", "Chat:TrustForwardedHeaders was replaced by Chat:ForwardedHeaders:KnownProxies")]
    public void A_proxy_setting_the_app_cannot_honour_stops_it_at_start(string key, string value, string message)
    {
        using var app = new ChatAppFactory { Settings = { [key] = value } };

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
