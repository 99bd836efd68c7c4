using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace ChatApp.LoadDriver;

/// <summary>
/// The row feed of a big room, as the chat page's script opens it: when the page calls <c>connectRows</c> with its
/// one-time ticket, the tab opens that WebSocket with the profile's cookies and origin and reads the rows it is sent.
/// A row is a delivery like a render batch is: watchers of its text are told.
/// </summary>
public sealed partial class CircuitClient
{
    private readonly TaskCompletionSource<Uri> rowFeedAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? rowFeed;
    private int rowsReceived;

    /// <summary>Open the row feed when the page asks (a browser does); off, a test can present the ticket itself.</summary>
    public bool ConnectRowFeed { get; init; } = true;

    /// <summary>The row feed's address with its ticket, once the page asked for it.</summary>
    public Task<Uri> RowFeedAddress => rowFeedAddress.Task;

    /// <summary>Rows received over the row feed.</summary>
    public int RowsReceived => Volatile.Read(ref rowsReceived);

    /// <summary>Other frames of the row feed: who is typing ("typing …") or stopped ("stopped …").</summary>
    public int SignalsReceived => Volatile.Read(ref signalsReceived);

    private int signalsReceived;

    /// <summary>The feed's socket is open (and has not closed).</summary>
    public bool RowFeedOpen => rowFeed?.State == WebSocketState.Open;

    private void OnConnectRows(string? argsJson)
    {
        var url = JsonNode.Parse(argsJson ?? "[]")!.AsArray()[0]!.GetValue<string>();
        var address = new UriBuilder(new Uri(baseUri, url)) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws" }.Uri;
        rowFeedAddress.TrySetResult(address);
        if (ConnectRowFeed)
        {
            _ = ReadRowFeedAsync(address);
        }
    }

    /// <summary>The profile's cookies (its sign-in session).</summary>
    public System.Net.CookieContainer Cookies => session.Cookies;

    /// <summary>Opens a WebSocket the way this tab's browser would: its origin, its connection handler (with the profile's cookies).</summary>
    public async Task<ClientWebSocket> OpenWebSocketAsync(Uri address, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", Origin);
        socket.Options.CollectHttpResponseDetails = true;
        session.ChooseHttpVersion(socket);
        using var invoker = new HttpMessageInvoker(session.Handler, disposeHandler: false);
        await socket.ConnectAsync(address, invoker, cancellationToken);
        return socket;
    }

    private async Task ReadRowFeedAsync(Uri address)
    {
        try
        {
            rowFeed = await OpenWebSocketAsync(address);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                (buffer, var count, var type) = await WebSocketMessages.ReceiveAsync(rowFeed, buffer);
                if (type == WebSocketMessageType.Close)
                {
                    return;
                }
                var arrived = Stopwatch.GetTimestamp();
                // A row starts with its room's number; a typing signal with a word.
                if (count > 0 && char.IsAsciiDigit((char)buffer[0]))
                {
                    Interlocked.Increment(ref rowsReceived);
                    NotifyWatchers(buffer.AsSpan(0, count), arrived);
                }
                else
                {
                    Interlocked.Increment(ref signalsReceived);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The feed ended; the circuit renders every row again.
        }
    }
}
