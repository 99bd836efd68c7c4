using System.Collections.Concurrent;
using System.Text;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Chat;

/// <summary>
/// Big rooms' row feeds on Kestrel, through real circuits (the load driver's client): a new row reaches a reader over
/// the tab's feed and its circuit sends no render for it; the writer's own tab still renders it; when the feed ends
/// the circuit renders every row again.
/// </summary>
[Trait("Cost", "http")]
public sealed class RowFeedDeliveryTests : BigRoomAppTests
{
    [Fact]
    public async Task A_new_row_reaches_a_reader_over_the_feed_and_the_readers_circuit_renders_nothing_for_it()
    {
        var (writer, reader, rendered) = await OpenWithFeedAsync();
        var rowsBefore = reader.RowsReceived;

        var seen = BigRoomApp.SeenAsync(reader, "over the feed");
        await writer.SendMessageAsync("over the feed");
        await seen.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(rowsBefore + 1, reader.RowsReceived);
        Assert.DoesNotContain(rendered, batch => batch.Contains("over the feed", StringComparison.Ordinal));
        // The writer's own tab shows its message at once, rendered by its circuit: authors are not sent their rows.
        Assert.Equal(0, writer.RowsReceived);
        Assert.Null(reader.Error);
    }

    [Fact]
    public async Task A_live_window_of_carried_rows_sends_the_reader_no_row_twice()
    {
        var (writer, reader, rendered) = await OpenWithFeedAsync();
        var rowsBefore = reader.RowsReceived;

        const int count = RoomTimeline.LiveWindow + 10;
        for (var i = 1; i <= count; i++)
        {
            var seen = BigRoomApp.SeenAsync(reader, $"row {i} of the window");
            await writer.SendMessageAsync($"row {i} of the window");
            await seen.WaitAsync(TimeSpan.FromSeconds(15));
        }

        // Every row came once, over the feed; the list rendered (to let go of what the live window dropped) without
        // sending any of them again. Before, it took the carried rows over every 50, sending each row a second time.
        Assert.Equal(rowsBefore + count, reader.RowsReceived);
        // The circuit takes carried rows in up to a second late (Chat:LiveRowsCircuitWait): its render may follow.
        await BigRoomApp.EventuallyAsync(() => !rendered.IsEmpty);
        Assert.DoesNotContain(rendered, batch => batch.Contains("of the window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_feed_ends_the_circuit_renders_new_rows_again()
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader", connectRowFeed: false);
        await BigRoomApp.LiveAsync(writer, reader);
        using var socket = await reader.OpenWebSocketAsync(await reader.RowFeedAddress.WaitAsync(TimeSpan.FromSeconds(15)));
        await BigRoomApp.EventuallyAsync(() => Big.App.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>().FeedCount == 1);
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await BigRoomApp.EventuallyAsync(() => Big.App.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>().FeedCount == 0);

        var seen = BigRoomApp.SeenAsync(reader, "after the feed closed");
        await writer.SendMessageAsync("after the feed closed");
        await seen.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, reader.RowsReceived);
    }

    [Fact]
    public async Task A_readers_row_goes_into_its_socket_as_soon_as_that_reader_is_offered_it()
    {
        // The fan-out used to check every reader of the room first and send the rows after the last check: at 1,000
        // readers the first row left 3 ms late (bench/FINDINGS.md, seventeenth round). Now each row leaves with its check.
        var rows = Big.App.Services.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>();
        const int room = 4242;
        var (first, firstBrowser, firstAttached) = await OpenFeedAsync(rows, "first-reader", room);
        await using var _ = firstAttached;
        var (second, secondBrowser, secondAttached) = await OpenFeedAsync(rows, "second-reader", room);
        await using var __ = secondAttached;
        var at = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
        var earlier = new ChatMessage(1, room, 1, "the-author", "Author", "earlier", at, null, false);
        // The room's first row here: circuits render it (the row above it is not known), and the browser only hears that
        // its author stopped typing; the next one is carried.
        rows.Begin(earlier)!.Offer(first);
        Assert.Equal($"stopped {room} the-author\n", await ReadRowAsync(firstBrowser).WaitAsync(TimeSpan.FromSeconds(10)));
        var fanOut = rows.Begin(earlier with { Id = 2, Sequence = 2, Text = "straight into the socket", CreatedAt = at.AddSeconds(5) })!;

        fanOut.Offer(first);
        var firstRow = await ReadRowAsync(firstBrowser).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith($"{room} 2 the-author\n", firstRow, StringComparison.Ordinal);
        Assert.Contains("straight into the socket", firstRow, StringComparison.Ordinal);
        fanOut.Offer(second);
        Assert.Equal(firstRow, await ReadRowAsync(secondBrowser).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Who_is_typing_goes_to_the_readers_feeds_and_not_to_the_typists_own()
    {
        // In a room with row feeds the browser keeps the typing line: every message in a room of 100 used to make every
        // reader's circuit render "is typing…" and clear it (bench/FINDINGS.md, eighteenth round).
        var rows = Big.App.Services.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>();
        const int room = 4343;
        var (reader, readerBrowser, readerAttached) = await OpenFeedAsync(rows, "typing-reader", room);
        await using var _ = readerAttached;
        var (typist, typistBrowser, typistAttached) = await OpenFeedAsync(rows, "the-typist", room);
        await using var __ = typistAttached;
        var timeout = (long)Big.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatOptions>>().Value.TypingTimeout.TotalMilliseconds;

        var fanOut = rows.Begin(new UserTyping(room, "the-typist", "Tess <Typist>"))!;
        fanOut.Offer(typist);
        fanOut.Offer(reader);

        Assert.Equal($"typing {room} the-typist {timeout}\nTess <Typist>", await ReadRowAsync(readerBrowser).WaitAsync(TimeSpan.FromSeconds(10)));
        // The typist's own feed got nothing: the first frame it reads is the next one sent to it.
        rows.Begin(new UserTyping(room, "typing-reader", "Reader"))!.Offer(typist);
        Assert.Equal($"typing {room} typing-reader {timeout}\nReader", await ReadRowAsync(typistBrowser).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_quiet_feed_is_pinged_so_that_proxies_cutting_idle_connections_leave_it_open()
    {
        // nginx (60 s by default) and most load balancers close a connection that has carried nothing for a while, and
        // a feed only sends: in a quiet room it would be cut, and its circuit would render every row again.
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader", connectRowFeed: false);
        await BigRoomApp.LiveAsync(writer, reader);
        var address = await reader.RowFeedAddress.WaitAsync(TimeSpan.FromSeconds(15));
        var page = new Uri(Big.App.BaseUrl);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(page.Host, page.Port);
        var stream = tcp.GetStream();
        // A raw upgrade, so that the test sees the server's control frames (a client socket answers pings unseen).
        var request = $"GET {address.PathAndQuery} HTTP/1.1\r\nHost: {page.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n"
            + $"Origin: {page.GetLeftPart(UriPartial.Authority)}\r\nCookie: {reader.Cookies.GetCookieHeader(page)}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        var received = new List<byte>();
        var buffer = new byte[4096];
        int bodyStart;
        while (!HeadersEnd(received, out bodyStart))
        {
            received.AddRange(buffer.AsSpan(0, await stream.ReadAsync(buffer, timeout.Token)).ToArray());
        }
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString([.. received]), StringComparison.Ordinal);
        // Nothing is said in the room: within 15 s the server still sends a keep-alive frame — .NET sends an unsolicited
        // pong (FIN + opcode 10; a ping, opcode 9, would do as well), which the proxy reads as traffic.
        var frames = received.Skip(bodyStart).ToList();
        while (frames.Count == 0)
        {
            frames.AddRange(buffer.AsSpan(0, await stream.ReadAsync(buffer, timeout.Token)).ToArray());
        }
        Assert.Contains(frames[0], new byte[] { 0x89, 0x8A });
    }

    private static bool HeadersEnd(List<byte> received, out int bodyStart)
    {
        for (var i = 3; i < received.Count; i++)
        {
            if (received[i - 3] == '\r' && received[i - 2] == '\n' && received[i - 1] == '\r' && received[i] == '\n')
            {
                bodyStart = i + 1;
                return true;
            }
        }
        bodyStart = -1;
        return false;
    }

    /// <summary>A row feed of <paramref name="userId"/>'s tab on <paramref name="room"/>, its browser end on a loopback socket.</summary>
    private static async Task<(Security.CircuitSession Session, System.Net.WebSockets.WebSocket Browser, IAsyncDisposable Attached)> OpenFeedAsync(
        ChatApp.Components.Pages.Chat.LiveRows rows, string userId, int room)
    {
        var session = new Security.CircuitSession();
        session.Start($"circuit-{userId}", userId, sessionId: null);
        var (feed, _) = rows.Open(session, new ChatApp.Components.Pages.Chat.MessageRowContext
        {
            MeId = userId,
            CanModerate = false,
            Edit = (_, _) => Task.FromResult<string?>(null),
        });
        feed.Show(room);
        var (attached, browser) = await FeedSockets.AttachBrowserAsync(feed);
        return (session, browser, attached);
    }

    private static async Task<string> ReadRowAsync(System.Net.WebSockets.WebSocket browser)
    {
        var (buffer, count, _) = await LoadDriver.WebSocketMessages.ReceiveAsync(browser, new byte[4096]);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    /// <summary>A writer's tab and a reader's, live, the reader's feed open; the text of every render batch the reader gets from now.</summary>
    private async Task<(LoadDriver.CircuitClient Writer, LoadDriver.CircuitClient Reader, ConcurrentQueue<string> Rendered)> OpenWithFeedAsync()
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader");
        await BigRoomApp.LiveAsync(writer, reader);
        await BigRoomApp.EventuallyAsync(() => reader.RowFeedOpen);
        var rendered = new ConcurrentQueue<string>();
        reader.BatchReceived += batch => rendered.Enqueue(Encoding.UTF8.GetString(batch.Data));
        return (writer, reader, rendered);
    }
}
