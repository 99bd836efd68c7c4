using System.Net;
using System.Net.WebSockets;
using ChatApp.Chat;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Security;

/// <summary>
/// The row feed's socket (/live/rows) on Kestrel with raw WebSockets: only the tab's own sign-in session, with a
/// one-time ticket its circuit issued, from the app's origin; it takes no input; revoking the session closes it.
/// </summary>
[Trait("Cost", "http")]
public sealed class RowFeedSecurityTests : BigRoomAppTests
{
    /// <summary>A reader's tab whose page asked for a feed, which the test connects itself; and a writer.</summary>
    private async Task<(LoadDriver.CircuitClient Writer, LoadDriver.CircuitClient Reader, Uri Address)> OpenAsync()
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader", connectRowFeed: false);
        await BigRoomApp.LiveAsync(writer, reader);
        return (writer, reader, await reader.RowFeedAddress.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Without_the_sign_in_cookie_the_socket_is_refused()
    {
        var (_, _, address) = await OpenAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", Big.App.BaseUrl);
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(address, CancellationToken.None));
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Another_users_cookie_with_the_ticket_is_refused_and_uses_the_ticket_up()
    {
        var (writer, reader, address) = await OpenAsync();

        var stolen = await Assert.ThrowsAsync<WebSocketException>(() => writer.OpenWebSocketAsync(address));
        Assert.Contains("403", stolen.Message, StringComparison.Ordinal);
        // A ticket is good for one attempt: the reader's own, after it, is refused too.
        await Assert.ThrowsAsync<WebSocketException>(() => reader.OpenWebSocketAsync(address));
    }

    [Fact]
    public async Task A_made_up_ticket_is_refused()
    {
        var (_, reader, address) = await OpenAsync();
        var forged = new UriBuilder(address) { Query = "ticket=" + new string('A', 43) }.Uri;

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => reader.OpenWebSocketAsync(forged));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData(null)]
    public async Task A_socket_from_another_origin_or_none_is_refused(string? origin)
    {
        var (_, reader, address) = await OpenAsync();
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = reader.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(address, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        // Refused by the origin check before the ticket was looked at: from the app's origin it still works.
        using var own = await reader.OpenWebSocketAsync(address);
        Assert.Equal(WebSocketState.Open, own.State);
    }

    [Fact]
    public async Task Anything_the_browser_sends_closes_the_feed_and_the_circuit_renders_rows_again()
    {
        var (writer, reader, address) = await OpenAsync();
        using var socket = await reader.OpenWebSocketAsync(address);

        await socket.SendAsync("{\"subscribe\":\"another-room\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var result = await socket.ReceiveAsync(new byte[1024], new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        var seen = BigRoomApp.SeenAsync(reader, "rendered again");
        await writer.SendMessageAsync("rendered again");
        await seen.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Ending_the_readers_session_closes_the_feed_at_once()
    {
        var (_, reader, address) = await OpenAsync();
        using var socket = await reader.OpenWebSocketAsync(address);
        var userId = Big.App.CreateDbContext().Users.Single(u => u.Email == "reader@example.com").Id;
        var closed = ReceiveUntilClosedAsync(socket);

        await Big.App.GetRequiredService<SessionRevoker>().EndAllSessionsAsync(userId);

        await closed.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.NotEqual(WebSocketState.Open, socket.State);
    }

    private static async Task ReceiveUntilClosedAsync(WebSocket socket)
    {
        try
        {
            while ((await socket.ReceiveAsync(new byte[4096], CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
            // Aborted by the server: closed as well.
        }
    }
}
