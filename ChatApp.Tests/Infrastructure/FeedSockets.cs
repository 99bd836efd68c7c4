using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ChatApp.Chat;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Row feeds with a real browser end: a WebSocket over loopback TCP, attached as the endpoint attaches it.</summary>
public static class FeedSockets
{
    /// <summary>Attaches a socket to <paramref name="feed"/>; disposing ends the feed and closes it.</summary>
    public static async Task<IAsyncDisposable> AttachAsync(LiveRowFeed feed) => (await AttachBrowserAsync(feed)).Attached;

    /// <summary>As <see cref="AttachAsync"/>, with the browser's end of the socket to read the rows from.</summary>
    public static async Task<(IAsyncDisposable Attached, WebSocket Browser)> AttachBrowserAsync(LiveRowFeed feed)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var running = feed.RunAsync(serverSocket, CancellationToken.None);
        await ChatServices.EventuallyAsync(() => feed.IsConnected);
        var browser = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        return (new Attached(feed, running, client, server), browser);
    }

    private sealed class Attached(LiveRowFeed feed, Task running, TcpClient client, TcpClient server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            feed.End();
            await running;
            client.Dispose();
            server.Dispose();
        }
    }
}

/// <summary>
/// Stands in for the server's row feeds (LiveRows) in service tests: a new row is offered to the feed given for its
/// reader, which carries it if it can; nothing is rendered or sent.
/// </summary>
public sealed class CarryingRows : ILiveRows
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LiveRowFeed> feeds = new();

    public void Carry(string userId, LiveRowFeed feed) => feeds[userId] = feed;

    public ILiveRowFanOut? Begin(ChatMessage message) => new FanOut(this, message);

    /// <summary>Typing needs nothing of the feed's state: whether a feed carries it is <see cref="LiveRowFeed.CanCarry(UserTyping)"/>.</summary>
    public ILiveRowFanOut? Begin(UserTyping typing) => null;

    private sealed class FanOut(CarryingRows owner, ChatMessage message) : ILiveRowFanOut
    {
        public void Offer(IChatRecipient recipient)
        {
            if (owner.feeds.TryGetValue(recipient.UserId, out var feed))
            {
                feed.TryCarry(message);
            }
        }
    }
}
