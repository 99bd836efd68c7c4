using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ChatApp.Chat;

/// <summary>
/// One tab's row feed (issue 16): in a room of more than <see cref="ChatOptions.LiveRowsMembers"/> members, a new
/// message's row — HTML rendered once per server and shared — goes straight to the browser over a WebSocket of its
/// own, instead of a render, diff, batch and acknowledgement on every reader's circuit. Server to browser only:
/// nothing the browser sends is read, so there is no protocol to forge and no subscription to ask for; which room the
/// tab shows is the circuit's state (<see cref="Show"/>). The circuit still
/// applies every event and owns the timeline; a row it knows was carried (<see cref="Carried"/>) just needs no render,
/// and when the feed ends for any reason the circuit renders its list (<see cref="Ended"/>), so nothing is lost.
/// </summary>
public sealed class LiveRowFeed(IChatRecipient recipient, int queueLimit) : IDisposable
{
    /// <summary>Where a tab's browser opens its feed, with the one-time ticket its page was given.</summary>
    public const string Path = "/live/rows";

    /// <summary>How long a closing handshake may take before the socket is dropped.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource closing = new();
    private readonly Lock gate = new();
    /// <summary>Frames waiting behind the one the socket is taking; under <see cref="gate"/>.</summary>
    private readonly Queue<ReadOnlyMemory<byte>> backlog = new();
    /// <summary>A frame is on its way into the socket (the fan-out's or a continuation's); under <see cref="gate"/>.</summary>
    private bool sending;
    private WebSocket? socket;
    private volatile bool connected;
    private volatile int roomId;
    /// <summary>Rows carried and not yet seen by the circuit (a row sent just before may still be on its way to it).</summary>
    private readonly ConcurrentDictionary<long, byte> carried = new();
    private int state; // 0 waiting for the browser, 1 attached, 2 ended

    /// <summary>The room whose new rows this tab takes from the feed; 0 for none.</summary>
    public int RoomId => roomId;

    /// <summary>The browser's socket is attached and rows can be sent.</summary>
    public bool IsConnected => connected;

    /// <summary>Raised once when the feed ends (closed, too slow, revoked, disposed); the circuit renders what it holds.</summary>
    public event Action? Ended;

    /// <summary>The tab shows <paramref name="room"/> (a room with row feeds), or 0: rows of any other room are not carried.</summary>
    public void Show(int room)
    {
        roomId = room;
        carried.Clear();
    }

    /// <summary>
    /// Whether a new row of the shown room can be carried to this tab; if so it is counted as carried. Called by the
    /// fan-out, per recipient, after the recipient's authorization was checked and before the circuit hears the event.
    /// </summary>
    public bool TryCarry(ChatMessage message)
    {
        if (!connected || message.RoomId != roomId || message.AuthorId == recipient.UserId || message.MentionedUserIds.Contains(recipient.UserId))
        {
            return false;
        }
        carried.TryAdd(message.Sequence, 0);
        return true;
    }

    /// <summary>
    /// Whether the feed carries <paramref name="typing"/>: someone else typing in the shown room while the browser is
    /// attached. No state is kept: the browser shows who is typing from the feed's signals alone.
    /// </summary>
    public bool CanCarry(UserTyping typing) => ShowsTyping(typing.RoomId) && typing.UserId != recipient.UserId;

    /// <summary>
    /// The browser keeps <paramref name="room"/>'s typing line itself, from this feed's signals (ChatPage.razor.js),
    /// while its socket is attached: the circuit need not render who is typing there. A browser that never attaches
    /// (a proxy that refuses the socket) keeps the circuit's line.
    /// </summary>
    public bool ShowsTyping(int room) => connected && room != 0 && room == roomId;

    /// <summary>Raised once when the browser's socket is attached: the page shows the typing line the browser keeps.</summary>
    public event Action? Attached;

    /// <summary>Whether the row of <paramref name="message"/> was carried, without counting it as seen by the circuit.</summary>
    public bool HasCarried(ChatMessage message) => message.RoomId == roomId && carried.ContainsKey(message.Sequence);

    /// <summary>
    /// The row of <paramref name="message"/> went over the feed, which still runs: the circuit need not render it. Asked
    /// once per row, by the circuit applying it. Exactly the rows carried: the rows around them may not have been (the
    /// reader's own, a mention).
    /// </summary>
    public bool Carried(ChatMessage message) =>
        carried.TryRemove(message.Sequence, out _) && connected && message.RoomId == roomId;

    /// <summary>
    /// Sends one frame (shared by every reader of the row). The fan-out writes it into the socket itself when the socket
    /// is free — a socket takes a frame at once unless its browser is behind — so a row costs each reader no work item
    /// and no async hop; a frame that finds the socket busy waits behind it, and a tab too slow to take
    /// <c>queueLimit</c> of them loses its feed.
    /// </summary>
    public void Send(ReadOnlyMemory<byte> frame)
    {
        if (!connected)
        {
            return;
        }
        bool tooSlow;
        lock (gate)
        {
            if (state != 1)
            {
                return;
            }
            if (sending && backlog.Count < queueLimit)
            {
                backlog.Enqueue(frame);
                return;
            }
            tooSlow = sending;
            sending = true;
        }
        if (tooSlow)
        {
            End();
            return;
        }
        Pump(frame);
    }

    /// <summary>Writes <paramref name="frame"/> and then the backlog, for as long as the socket takes each at once.</summary>
    private void Pump(ReadOnlyMemory<byte> frame)
    {
        while (true)
        {
            ValueTask sent;
            try
            {
                sent = socket!.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                if (!sent.IsCompleted)
                {
                    _ = ContinueAsync(sent);
                    return;
                }
                sent.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // The browser went away or the feed was ended (which aborts the socket). Whatever failed, it failed for
                // this reader only: the fan-out goes on to the next, and this tab's circuit renders from now on.
                End();
                return;
            }
            if (!TryTakeNext(out frame))
            {
                return;
            }
        }
    }

    /// <summary>The socket could not take a frame at once: wait for it off the fan-out's thread, then go on with the backlog.</summary>
    private async Task ContinueAsync(ValueTask sent)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (Exception)
        {
            End();
            return;
        }
        if (TryTakeNext(out var next))
        {
            Pump(next);
        }
    }

    private bool TryTakeNext(out ReadOnlyMemory<byte> frame)
    {
        lock (gate)
        {
            if (state == 1 && backlog.TryDequeue(out frame))
            {
                return true;
            }
            sending = false;
            frame = default;
            return false;
        }
    }

    /// <summary>Attaches the browser's socket; rows go to it until the feed ends. A second socket is refused.</summary>
    public async Task RunAsync(WebSocket webSocket, CancellationToken aborted)
    {
        lock (gate)
        {
            if (state != 0)
            {
                return;
            }
            (state, socket, connected) = (1, webSocket, true);
        }
        Attached?.Invoke();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, closing.Token);
        try
        {
            await RefuseInputAsync(webSocket, stop);
        }
        finally
        {
            End();
        }
    }

    /// <summary>
    /// Reads only to see the browser close, and answers it; anything else the browser sends closes the feed (the socket
    /// carries no input). Either way the feed then ends.
    /// </summary>
    private static async Task RefuseInputAsync(WebSocket webSocket, CancellationTokenSource stop)
    {
        var buffer = new byte[16];
        try
        {
            var result = await webSocket.ReceiveAsync(buffer.AsMemory(), stop.Token);
            using var closing = new CancellationTokenSource(CloseTimeout);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
            }
            else
            {
                await webSocket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "This socket takes no input.", closing.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        await stop.CancelAsync();
    }

    /// <summary>Ends the feed: the socket is aborted and the circuit takes over rendering every row.</summary>
    public void End()
    {
        WebSocket? attached;
        lock (gate)
        {
            if (state == 2)
            {
                return;
            }
            (state, attached, connected) = (2, socket, false);
            backlog.Clear();
        }
        closing.Cancel();
        attached?.Abort();
        Ended?.Invoke();
    }

    public void Dispose()
    {
        End();
        closing.Dispose();
    }
}
