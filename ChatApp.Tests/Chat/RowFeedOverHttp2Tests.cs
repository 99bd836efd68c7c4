using System.Net;
using System.Net.WebSockets;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

/// <summary>
/// Row feeds where the app ends TLS itself (Kestrel offers HTTP/2): browsers open WebSockets there as HTTP/2 streams,
/// an extended CONNECT on the page's connection (Chromium, Edge and Firefox by default), not as a GET upgrade. The
/// headless tabs do the same here (<see cref="LoadDriver.BrowserSession.Http2WebSockets"/>).
/// </summary>
[Trait("Cost", "http")]
public sealed class RowFeedOverHttp2Tests() : BigRoomAppTests(tls: true)
{
    [Fact]
    public async Task A_readers_feed_opened_as_an_http2_stream_attaches_and_carries_the_new_row()
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader");
        await BigRoomApp.LiveAsync(writer, reader);
        await BigRoomApp.EventuallyAsync(() => reader.RowFeedOpen);
        var rowsBefore = reader.RowsReceived;

        var seen = BigRoomApp.SeenAsync(reader, "over an HTTP/2 stream");
        await writer.SendMessageAsync("over an HTTP/2 stream");
        await seen.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(rowsBefore + 1, reader.RowsReceived);
        Assert.Null(reader.Error);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData(null)]
    public async Task An_http2_stream_from_another_origin_or_none_is_refused_like_an_upgrade(string? origin)
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader", connectRowFeed: false);
        await BigRoomApp.LiveAsync(writer, reader);
        var address = await reader.RowFeedAddress.WaitAsync(TimeSpan.FromSeconds(15));
        using var socket = Http2Socket(origin);

        await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(socket, address, reader.Cookies));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        // Refused before the ticket was looked at: the tab's own stream from the app's origin still opens (200 is
        // an HTTP/2 stream's answer, where HTTP/1.1 answers 101).
        using var own = await reader.OpenWebSocketAsync(address);
        Assert.Equal(WebSocketState.Open, own.State);
        Assert.Equal(HttpStatusCode.OK, own.HttpStatusCode);
    }

    [Fact]
    public async Task A_circuits_http2_stream_from_another_origin_is_refused()
    {
        var (_, reader) = await Big.OpenAsync("Reader");
        using var socket = Http2Socket("https://evil.example");
        var address = new UriBuilder(Big.App.BaseUrl) { Scheme = "wss", Path = "/_blazor" }.Uri;

        await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(socket, address, reader.Cookies));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    /// <summary>A WebSocket that opens only as an HTTP/2 stream, sending <paramref name="origin"/> (none if null).</summary>
    private static ClientWebSocket Http2Socket(string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        return socket;
    }

    /// <summary>Connects with a signed-in profile's cookies, trusting exactly the app's certificate.</summary>
    private async Task ConnectAsync(ClientWebSocket socket, Uri address, CookieContainer cookies)
    {
        var handler = new SocketsHttpHandler { CookieContainer = cookies };
        Big.App.TrustCertificate(handler);
        using var invoker = new HttpMessageInvoker(handler);
        await socket.ConnectAsync(address, invoker, CancellationToken.None);
    }
}
