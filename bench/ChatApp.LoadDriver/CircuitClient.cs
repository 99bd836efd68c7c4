using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatApp.LoadDriver;

/// <summary>
/// One signed-in user's browser tab without a browser: it signs in through the real forms, loads a chat page,
/// and starts a Blazor circuit the way blazor.web.js does (negotiate, WebSocket, "blazorpack" handshake,
/// StartCircuit, UpdateRootComponents) through the SignalR client with the MessagePack protocol, answers the JS interop calls the page makes, acknowledges every
/// render batch, and dispatches UI events (typing in the composer, submitting it) by the event handler ids it
/// decodes from render batches.
/// </summary>
public sealed partial class CircuitClient : IAsyncDisposable
{
    private readonly Uri baseUri;
    private readonly BrowserSession session;
    private readonly HttpClient http;
    private readonly HubConnection connection;
    private readonly SemaphoreSlim renderLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> pendingDotNetCalls = new();
    private readonly List<(byte[] Token, Action<long> OnSeen)> watchers = [];
    private readonly Lock watchersLock = new();
    private long nextCallId;
    private long nextJsObjectId = 1000;
    private long rendererInteropObjectId = -1;
    private int composerComponentId = -1;
    private long composerInputHandler;
    private long composerSubmitHandler;
    private readonly TaskCompletionSource composerReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A tab of a signed-in <see cref="BrowserSession"/>: its cookies, its HTTP connection pool.</summary>
    public CircuitClient(BrowserSession session)
    {
        this.session = session;
        baseUri = session.BaseUri;
        http = session.Http;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/_blazor"), HttpTransportType.WebSockets, options =>
            {
                // Like the browser tab: the profile's cookies and handler (certificates, local address), its origin.
                options.Cookies = session.Cookies;
                options.Headers["Origin"] = Origin;
                options.HttpMessageHandlerFactory = _ => new NonDisposingHandler(session.Handler);
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var socket = new System.Net.WebSockets.ClientWebSocket();
                    socket.Options.SetRequestHeader("Origin", Origin);
                    socket.Options.CollectHttpResponseDetails = true;
                    if (session.OfferCompression)
                    {
                        socket.Options.DangerousDeflateOptions = new System.Net.WebSockets.WebSocketDeflateOptions();
                    }
                    session.ChooseHttpVersion(socket);
                    using var invoker = new HttpMessageInvoker(session.Handler, disposeHandler: false);
                    await socket.ConnectAsync(context.Uri, invoker, cancellationToken);
                    Compressed = socket.HttpResponseHeaders?.ContainsKey("Sec-WebSocket-Extensions") == true;
                    return socket;
                };
            });
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorHubProtocol>();
        connection = builder.Build();
        connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        // .NET 10 sends a sixth argument, the call type (invoke, construct, get or set a value); a chat page only invokes.
        connection.On<long, string, string?, long, long, long>("JS.BeginInvokeJS",
            (handle, identifier, argsJson, resultType, targetInstance, _) => AnswerJsCallAsync(handle, identifier, argsJson, resultType, targetInstance));
        connection.On<string, bool, string?>("JS.EndInvokeDotNet", (callId, succeeded, result) =>
        {
            Trace(succeeded ? 11 : 12, long.TryParse(callId, out var traced) ? traced : -1);
            if (pendingDotNetCalls.TryRemove(callId, out var call))
            {
                call.TrySetResult(succeeded ? null : result ?? "unknown error");
            }
        });
        connection.On<string?>("JS.Error", error => Error = error);
        connection.Closed += exception =>
        {
            Error ??= exception?.Message ?? "The circuit closed.";
            composerReady.TrySetException(new InvalidOperationException(Error));
            return Task.CompletedTask;
        };
    }

    /// <summary>The session's handler, shared by its tabs; the connection must not dispose it.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }

    /// <summary>Render batches received (each acknowledged).</summary>
    public int BatchesReceived => batchesReceived;

    private int batchesReceived;

    /// <summary>Bytes of render batches received.</summary>
    public long BatchBytesReceived => Interlocked.Read(ref batchBytesReceived);

    private long batchBytesReceived;

    /// <summary>
    /// Times a render gave the composer's text box a new input handler id: each opened a window in which a keystroke
    /// already sent could miss its handler (bench/FINDINGS.md, fifteenth round).
    /// </summary>
    public int ComposerInputHandlerReplacements => composerInputHandlerReplacements;

    private int composerInputHandlerReplacements;

    /// <summary>JS interop calls the server made to this tab (each answered).</summary>
    public int JsCallsReceived => jsCallsReceived;

    private int jsCallsReceived;

    public string? Error { get; private set; }

    /// <summary>
    /// Raised for every render batch after it was acknowledged and before watchers of its text are told (to look at
    /// what a delivery costs a tab).
    /// </summary>
    public event Action<RenderBatch>? BatchReceived;

    /// <summary>
    /// The components this tab's circuit holds now (rendered and not yet disposed): each keeps two render trees and its
    /// state in server memory for as long as the tab is open.
    /// </summary>
    public int ComponentCount
    {
        get
        {
            lock (components)
            {
                return components.Count;
            }
        }
    }

    private readonly HashSet<int> components = [];

    /// <summary>The server accepted the WebSocket compression this tab offered.</summary>
    public bool Compressed { get; private set; }

    /// <summary>Loads the page, starts its circuit and waits until the composer can be used.</summary>
    public async Task OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var html = await http.GetStringAsync(path, cancellationToken);
        var markers = MarkerPattern().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => m["type"]?.GetValue<string>() == "server")
            .ToList();
        var state = StatePattern().Match(html) is { Success: true } s ? s.Groups[1].Value : "";

        await connection.StartAsync(cancellationToken);

        var pageUri = new Uri(baseUri, path).ToString();
        var circuitId = await connection.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), pageUri, "[]", state, cancellationToken);
        if (circuitId is not string)
        {
            throw new InvalidOperationException("The server refused to start the circuit.");
        }
        var operations = new JsonObject
        {
            ["batchId"] = 1,
            ["operations"] = new JsonArray([.. markers.Select((marker, i) =>
            {
                marker["uniqueId"] = i;
                return (JsonNode)new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker.DeepClone() };
            })]),
        };
        await connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await composerReady.Task.WaitAsync(timeout.Token);
    }

    private string Origin => $"{baseUri.Scheme}://{baseUri.Authority}";

    /// <summary>Calls <paramref name="onSeen"/> (with a Stopwatch timestamp) the first time a render batch carries the text.</summary>
    public void Watch(string text, Action<long> onSeen)
    {
        lock (watchersLock)
        {
            watchers.Add((Encoding.UTF8.GetBytes(text), onSeen));
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data)
    {
        var batch = new RenderBatch(data);
        var arrived = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref batchesReceived);
        Interlocked.Add(ref batchBytesReceived, batch.Data.Length);
        lock (components)
        {
            components.UnionWith(batch.RenderedComponentIds());
            components.ExceptWith(batch.DisposedComponentIds());
        }
        // Apply the composer's new handler ids, then acknowledge, with no event sent in between.
        await renderLock.WaitAsync();
        try
        {
            Trace(1, batchId);
            for (var i = 0; i < batch.DisposedEventHandlerIdCount; i++)
            {
                Trace(9, batch.DisposedEventHandlerId(i));
            }
            FindComposer(batch);
            Trace(2, composerInputHandler);
            await connection.SendAsync("OnRenderCompleted", batchId, null);
            Trace(3, batchId);
        }
        finally
        {
            renderLock.Release();
        }
        BatchReceived?.Invoke(batch);
        NotifyWatchers(batch.Data, arrived);
    }

    // The tab's last 1,024 protocol steps, as integers in a preallocated ring (formatting or allocating per step slowed
    // the driver enough to hide the race it was written to catch; bench/FINDINGS.md, fourteenth round). Kinds:
    // 1 batch received (id), 9 a handler id that batch disposed, 2 the composer's input handler id after applying it,
    // 3 batch acknowledged (id), 4/5 input/submit event sent with handler id, 6 that event's call id once sent,
    // 8 JS call received (handle), 10 JS call answered (handle), 11/12 event call completed/failed (call id).
    private readonly long[] trace = new long[1024];
    private int traceNext;

    private void Trace(long kind, long value) => trace[(Interlocked.Increment(ref traceNext) - 1) & 1023] = (kind << 48) | (value & 0xFFFFFFFFFFFF);

    /// <summary>The tab's last protocol steps as "kind:value" pairs, oldest first (printed when a UI event fails).</summary>
    public string DumpTrace()
    {
        var end = Volatile.Read(ref traceNext);
        var parts = new List<string>();
        for (var i = Math.Max(0, end - 1024); i < end; i++)
        {
            var step = trace[i & 1023];
            parts.Add($"{step >> 48}:{step & 0xFFFFFFFFFFFF}");
        }
        return string.Join(" ", parts);
    }

    private void NotifyWatchers(ReadOnlySpan<byte> data, long arrived)
    {
        List<(byte[] Token, Action<long> OnSeen)> seen = [];
        lock (watchersLock)
        {
            for (var i = watchers.Count - 1; i >= 0; i--)
            {
                if (data.IndexOf(watchers[i].Token) >= 0)
                {
                    seen.Add(watchers[i]);
                    watchers.RemoveAt(i);
                }
            }
        }
        foreach (var (_, onSeen) in seen)
        {
            onSeen(arrived);
        }
    }

    /// <summary>Answers the JS interop calls a chat page makes, with what a real browser would return.</summary>
    private async Task AnswerJsCallAsync(long handle, string identifier, string? argsJson, long resultType, long targetInstance)
    {
        Interlocked.Increment(ref jsCallsReceived);
        Trace(8, handle);
        JsonNode? result = null;
        if (identifier == "Blazor._internal.attachWebRendererInterop")
        {
            var args = JsonNode.Parse(argsJson ?? "[]")!.AsArray();
            rendererInteropObjectId = args[1]!["__dotNetObject"]!.GetValue<long>();
        }
        else if (identifier == "environment")
        {
            result = new JsonObject { ["timeZone"] = "UTC", ["visible"] = true };
        }
        else if (identifier == "matchesMedia")
        {
            // A desktop browser: the side panel is inline.
            result = false;
        }
        else if (identifier == "setLog")
        {
            // The message log is on the page (a browser answers false only for a log a later render removed).
            result = true;
        }
        else if (identifier == "notificationPermission")
        {
            result = "denied";
        }
        else if (identifier == "connectRows")
        {
            OnConnectRows(argsJson);
        }
        else if (identifier.EndsWith("getAndRemoveExistingTitle", StringComparison.Ordinal))
        {
            result = "ChatApp";
        }
        if (resultType == 1)
        {
            // A JS object reference (a module from import(), or an object a module returned).
            result = new JsonObject { ["__jsObjectId"] = Interlocked.Increment(ref nextJsObjectId) };
        }
        if (handle == 0)
        {
            return;
        }
        var payload = new JsonArray(handle, true, result).ToJsonString();
        await connection.SendAsync("EndInvokeJSFromDotNet", handle, true, payload);
        Trace(10, handle);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await connection.DisposeAsync();
        rowFeed?.Abort();
        rowFeed?.Dispose();
    }

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->")]
    private static partial Regex StatePattern();
}
