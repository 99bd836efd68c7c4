using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ChatApp.Security;

/// <summary>Cross-site WebSocket hijacking and transports, against Kestrel with raw clients.</summary>
[Trait("Cost", "http")]
public sealed class BlazorEndpointTests : IDisposable
{
    private readonly ChatAppFactory app;
    private readonly HttpClient http;

    public BlazorEndpointTests()
    {
        app = new ChatAppFactory();
        app.Settings["Chat:AllowedOrigins:0"] = "https://chat.example.com";
        app.StartKestrel();
        http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
    }

    public void Dispose()
    {
        http.Dispose();
        app.Dispose();
    }

    private string OwnOrigin => app.BaseUrl.TrimEnd('/');

    private Task<HttpResponseMessage> NegotiateAsync(string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return http.SendAsync(request);
    }

    private async Task<HttpStatusCode> UpgradeAsync(string? origin, string connectionToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        var uri = new UriBuilder(new Uri(new Uri(app.BaseUrl), $"/_blazor?id={connectionToken}")) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
            return socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    [Fact]
    public async Task Negotiate_from_the_apps_own_origin_offers_WebSockets_only()
    {
        var response = await NegotiateAsync(OwnOrigin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var transports = json.RootElement.GetProperty("availableTransports").EnumerateArray()
            .Select(t => t.GetProperty("transport").GetString()).ToList();
        Assert.Equal(["WebSockets"], transports);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("file://")]
    [InlineData("not an origin")]
    public async Task Negotiate_from_a_foreign_or_odd_origin_is_forbidden_and_logged(string origin)
    {
        var response = await NegotiateAsync(origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"from origin {origin}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Negotiate_from_the_same_host_on_another_port_or_scheme_is_forbidden()
    {
        var own = new Uri(app.BaseUrl);

        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync($"http://{own.Host}:{own.Port + 1}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync($"https://{own.Host}:{own.Port}")).StatusCode);
    }

    [Fact]
    public async Task Negotiate_without_an_origin_is_forbidden()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(origin: null)).StatusCode);
    }

    [Fact]
    public async Task Negotiate_from_a_configured_allowed_origin_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync("https://chat.example.com")).StatusCode);
    }

    [Fact]
    public async Task WebSocket_upgrade_from_a_foreign_origin_or_none_is_forbidden()
    {
        var negotiate = await NegotiateAsync(OwnOrigin);
        using var json = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("connectionToken").GetString()!;

        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync("https://evil.example", token));
        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync(origin: null, token));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(OwnOrigin, token));
    }

    [Fact]
    public async Task The_circuit_socket_declines_the_compression_a_browser_offers()
    {
        // Chromium offers permessage-deflate on every WebSocket. Compressed in one context per socket, text an
        // attacker posts and what else the tab shows would leak through frame sizes (CRIME/BREACH); and each
        // compressed socket keeps its own deflate state on the server (bench/FINDINGS.md, "Issue 16, second
        // round", lever 7).
        var negotiate = await NegotiateAsync(OwnOrigin);
        using var json = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("connectionToken").GetString()!;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", OwnOrigin);
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();

        await socket.ConnectAsync(new UriBuilder(new Uri(new Uri(app.BaseUrl), $"/_blazor?id={token}")) { Scheme = "ws" }.Uri, CancellationToken.None);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"),
            $"The server accepted {string.Join(", ", socket.HttpResponseHeaders.GetValueOrDefault("Sec-WebSocket-Extensions") ?? [])}");
    }

    [Fact]
    public async Task Long_polling_is_not_accepted_for_a_negotiated_connection()
    {
        var negotiate = await NegotiateAsync(OwnOrigin);
        using var json = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        var token = json.RootElement.GetProperty("connectionToken").GetString()!;

        var poll = new HttpRequestMessage(HttpMethod.Get, $"/_blazor?id={token}");
        poll.Headers.Add("Origin", OwnOrigin);
        var response = await http.SendAsync(poll);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"Got {(int)response.StatusCode}");
    }
}
