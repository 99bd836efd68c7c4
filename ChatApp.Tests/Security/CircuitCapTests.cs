using System.Net;
using System.Net.WebSockets;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Security;

/// <summary>Who gets a circuit: the tab cap at every way into the Blazor endpoint, and no circuits for anonymous visitors.</summary>
[Trait("Cost", "http")]
public sealed class CircuitCapTests : IAsyncLifetime
{
    private const int MaxTabs = 2;
    private readonly ChatAppFactory app = new();
    private readonly List<IAsyncDisposable> open = [];

    public Task InitializeAsync()
    {
        // Development: the cookie is not Secure, so a raw client keeps it over plain HTTP on loopback.
        app.Environment = "Development";
        app.Settings["Chat:MaxCircuitsPerUser"] = MaxTabs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in open)
        {
            await item.DisposeAsync();
        }
        await app.DisposeAsync();
    }

    private Uri BaseUri => new(app.BaseUrl);

    /// <summary>A WebSocket straight to /_blazor, skipping negotiate, as a script can.</summary>
    private async Task<(HttpStatusCode Status, ClientWebSocket Socket)> ConnectWithoutNegotiateAsync(CookieContainer? cookies, string path = "/_blazor")
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", app.BaseUrl.TrimEnd('/'));
        if (cookies is not null)
        {
            socket.Options.Cookies = cookies;
        }
        var uri = new UriBuilder(new Uri(BaseUri, path)) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        open.Add(new SocketCloser(socket));
        return (socket.HttpStatusCode, socket);
    }

    [Theory]
    [InlineData("/_blazor")]
    [InlineData("/_blazor/")]
    [InlineData("/_BLAZOR")]
    public async Task A_user_at_the_tab_cap_cannot_open_another_connection_by_skipping_negotiate(string path)
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        var session = await BrowserSession.RegisterAsync(BaseUri, $"Capped {id}", $"capped.{id}@example.com", TestUsers.Password);
        for (var i = 0; i < MaxTabs; i++)
        {
            var tab = await session.OpenTabAsync("/chat/general");
            open.Add(tab);
        }

        var (status, _) = await ConnectWithoutNegotiateAsync(session.Cookies, path);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
    }

    [Fact]
    public async Task An_anonymous_client_holds_only_a_few_connections()
    {
        var limit = app.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatApp.Chat.ChatOptions>>().Value.MaxAnonymousConnectionsPerClient;
        for (var i = 0; i < limit; i++)
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, (await ConnectWithoutNegotiateAsync(cookies: null)).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ConnectWithoutNegotiateAsync(cookies: null)).Status);
    }

    [Fact]
    public async Task Pages_are_static_for_anonymous_visitors_and_interactive_once_signed_in()
    {
        const string ServerComponentMarker = "\"type\":\"server\"";
        var anonymous = await new HttpClient { BaseAddress = BaseUri }.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.DoesNotContain(ServerComponentMarker, await anonymous.Content.ReadAsStringAsync());

        var id = Guid.NewGuid().ToString("N")[..6];
        var session = await BrowserSession.RegisterAsync(BaseUri, $"Visitor {id}", $"visitor.{id}@example.com", TestUsers.Password);
        var signedIn = await session.Http.GetAsync("/no-such-page");
        Assert.Contains(ServerComponentMarker, await signedIn.Content.ReadAsStringAsync());
    }

    private sealed class SocketCloser(ClientWebSocket socket) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            socket.Abort();
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
