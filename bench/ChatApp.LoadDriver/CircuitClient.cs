using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatApp.LoadDriver;

/// <summary>
/// One signed-in user's browser tab without a browser: it signs in through the real forms, loads a chat page,
/// and starts a Blazor circuit the way blazor.web.js does (negotiate, WebSocket, "blazorpack" handshake,
/// StartCircuit, UpdateRootComponents), answers the JS interop calls the page makes, acknowledges every
/// render batch, and dispatches UI events (typing in the composer, submitting it) by the event handler ids it
/// decodes from render batches.
/// </summary>
public sealed partial class CircuitClient : IAsyncDisposable
{
    private readonly Uri baseUri;
    private readonly HttpClient http;
    private readonly SocketsHttpHandler handler;
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly SemaphoreSlim renderLock = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<object?>> pendingInvocations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> pendingDotNetCalls = new();
    private readonly List<(byte[] Token, Action<long> OnSeen)> watchers = [];
    private readonly Lock watchersLock = new();
    private Task? receiveLoop;
    private Task? pingLoop;
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
        baseUri = session.BaseUri;
        http = session.Http;
        handler = session.Handler;
    }

    /// <summary>Render batches received (each acknowledged).</summary>
    public int BatchesReceived => batchesReceived;

    private int batchesReceived;

    /// <summary>Bytes of render batches received.</summary>
    public long BatchBytesReceived => Interlocked.Read(ref batchBytesReceived);

    private long batchBytesReceived;

    public string? Error { get; private set; }

    /// <summary>Loads the page, starts its circuit and waits until the composer can be used.</summary>
    public async Task OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var html = await http.GetStringAsync(path, cancellationToken);
        var markers = MarkerPattern().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => m["type"]?.GetValue<string>() == "server")
            .ToList();
        var state = StatePattern().Match(html) is { Success: true } s ? s.Groups[1].Value : "";

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", Origin);
        var negotiated = await http.SendAsync(negotiate, cancellationToken);
        negotiated.EnsureSuccessStatusCode();
        var connectionToken = JsonNode.Parse(await negotiated.Content.ReadAsStringAsync(cancellationToken))!["connectionToken"]!.GetValue<string>();

        socket.Options.SetRequestHeader("Origin", Origin);
        var wsUri = new UriBuilder(new Uri(baseUri, $"/_blazor?id={Uri.EscapeDataString(connectionToken)}")) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws" }.Uri;
        // Through the profile's handler, like a browser: its cookies, its certificate checks, its local address.
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        await socket.ConnectAsync(wsUri, invoker, cancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, cancellationToken);
        receiveLoop = Task.Run(ReceiveLoopAsync);
        pingLoop = Task.Run(PingLoopAsync);

        var pageUri = new Uri(baseUri, path).ToString();
        var circuitId = await InvokeAsync("StartCircuit", [baseUri.ToString(), pageUri, "[]", state]);
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
        await SendAsync("UpdateRootComponents", w => w.String(operations.ToJsonString()).String(state));
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

    /// <summary>
    /// Types the text into the composer and submits it, as Enter would; completes when the server handled both
    /// events. One at a time per tab, like a person at one composer: while a send is on its way the composer
    /// ignores another Enter, so overlapping sends from one tab would drop messages that were never sent.
    /// </summary>
    /// <returns>The Stopwatch timestamp at which the submit was sent (the message's send time).</returns>
    public async Task<long> SendMessageAsync(string text)
    {
        await composerLock.WaitAsync();
        try
        {
            return await TypeAndSubmitAsync(text);
        }
        finally
        {
            composerLock.Release();
        }
    }

    private readonly SemaphoreSlim composerLock = new(1, 1);

    private async Task<long> TypeAndSubmitAsync(string text)
    {
        await DispatchAsync(() => new JsonObject
        {
            ["eventHandlerId"] = composerInputHandler,
            ["eventName"] = "input",
            ["eventFieldInfo"] = new JsonObject { ["componentId"] = composerComponentId, ["fieldValue"] = text },
        }, new JsonObject { ["value"] = text });
        var sent = Stopwatch.GetTimestamp();
        await DispatchAsync(() => new JsonObject
        {
            ["eventHandlerId"] = composerSubmitHandler,
            ["eventName"] = "submit",
            ["eventFieldInfo"] = null,
        }, new JsonObject());
        return sent;
    }

    /// <summary>
    /// Sends a UI event. The handler id is read under the same lock that applies and acknowledges render
    /// batches: the server forgets a replaced handler id once the batch replacing it is acknowledged, so an id
    /// must never be read before a batch and sent after that batch's acknowledgement (a browser's DOM has the
    /// same order: it applies a batch, then acknowledges it).
    /// </summary>
    private async Task DispatchAsync(Func<JsonObject> descriptor, JsonObject eventArgs)
    {
        var callId = Interlocked.Increment(ref nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pendingDotNetCalls[callId] = done;
        await renderLock.WaitAsync();
        try
        {
            var args = new JsonArray(descriptor(), eventArgs).ToJsonString();
            await SendAsync("BeginInvokeDotNetFromJS", w => w.String(callId).Nil().String("DispatchEventAsync").Int(rendererInteropObjectId).String(args));
        }
        finally
        {
            renderLock.Release();
        }
        if (await done.Task.WaitAsync(TimeSpan.FromSeconds(60)) is { } error)
        {
            throw new InvalidOperationException($"The server failed to handle a UI event: {error}");
        }
    }

    private async Task<object?> InvokeAsync(string target, string[] args)
    {
        var id = Interlocked.Increment(ref nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pendingInvocations[id] = result;
        await SendFrameAsync(BlazorPack.Frame(w =>
        {
            w.Array(6).Int(1).Map(0).String(id).String(target).Array(args.Length);
            foreach (var arg in args)
            {
                w.String(arg);
            }
            w.Array(0);
        }));
        return await result.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A hub invocation that expects no result ("send").</summary>
    private Task SendAsync(string target, Action<BlazorPack.Writer> writeArgs, int argCount = -1)
    {
        var argsWriter = new BlazorPack.Writer();
        writeArgs(argsWriter);
        var args = argsWriter.ToArray();
        var count = argCount >= 0 ? argCount : CountValues(args);
        return SendFrameAsync(BlazorPack.Frame(w =>
        {
            w.Array(6).Int(1).Map(0).Nil().String(target).Array(count);
            w.Raw(args);
            w.Array(0);
        }));
    }

    private static int CountValues(byte[] packed)
    {
        var reader = new BlazorPack.Reader(packed);
        var count = 0;
        while (reader.Position < packed.Length)
        {
            reader.Read();
            count++;
        }
        return count;
    }

    private async Task SendFrameAsync(byte[] frame)
    {
        await sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, stopping.Token);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task PingLoopAsync()
    {
        var ping = BlazorPack.Frame(w => w.Array(1).Int(6));
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stopping.Token);
                await SendFrameAsync(ping);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var pending = new MemoryStream();
        var handshakeDone = false;
        try
        {
            while (socket.State == WebSocketState.Open && !stopping.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stopping.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                pending.Write(buffer, 0, result.Count);
                if (!handshakeDone)
                {
                    var bytes = pending.ToArray();
                    var end = Array.IndexOf(bytes, BlazorPack.RecordSeparator);
                    if (end < 0)
                    {
                        continue;
                    }
                    var handshake = Encoding.UTF8.GetString(bytes, 0, end);
                    if (handshake.Contains("error", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"Handshake refused: {handshake}");
                    }
                    handshakeDone = true;
                    pending = new MemoryStream();
                    pending.Write(bytes, end + 1, bytes.Length - end - 1);
                }
                var data = pending.ToArray();
                var messages = new List<object?>();
                var consumed = BlazorPack.ReadFrames(data, messages);
                pending = new MemoryStream();
                pending.Write(data, consumed, data.Length - consumed);
                foreach (var message in messages)
                {
                    await HandleAsync((object?[])message!);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Error = exception.Message;
        }
        finally
        {
            composerReady.TrySetException(new InvalidOperationException(Error ?? "The circuit closed."));
        }
    }

    private async Task HandleAsync(object?[] message)
    {
        switch ((long)message[0]!)
        {
            case 1:
                await HandleInvocationAsync((string)message[3]!, (object?[])message[4]!);
                break;
            case 3:
                var id = (string)message[2]!;
                if (pendingInvocations.TryRemove(id, out var completion))
                {
                    var kind = (long)message[3]!;
                    if (kind == 1)
                    {
                        completion.TrySetException(new InvalidOperationException($"Hub error: {message[4]}"));
                    }
                    else
                    {
                        completion.TrySetResult(kind == 3 ? message[4] : null);
                    }
                }
                break;
            case 7:
                Error = $"Closed by server: {(message.Length > 1 ? message[1] : null)}";
                await stopping.CancelAsync();
                break;
        }
    }

    private async Task HandleInvocationAsync(string target, object?[] args)
    {
        switch (target)
        {
            case "JS.RenderBatch":
                var batchId = (long)args[0]!;
                var batch = new RenderBatch((byte[])args[1]!);
                var arrived = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref batchesReceived);
                Interlocked.Add(ref batchBytesReceived, batch.Data.Length);
                // Apply the composer's new handler ids, then acknowledge, with no event sent in between.
                await renderLock.WaitAsync();
                try
                {
                    FindComposer(batch);
                    await SendAsync("OnRenderCompleted", w => w.Int(batchId).Nil());
                }
                finally
                {
                    renderLock.Release();
                }
                NotifyWatchers(batch, arrived);
                break;
            case "JS.BeginInvokeJS":
                await AnswerJsCallAsync((long)args[0]!, (string)args[1]!, (string?)args[2], (long)args[3]!, (long)args[4]!);
                break;
            case "JS.EndInvokeDotNet":
                var callId = (string)args[0]!;
                if (pendingDotNetCalls.TryRemove(callId, out var call))
                {
                    // [callId, succeeded, result or error]
                    call.TrySetResult((bool)args[1]! ? null : args.Length > 2 ? args[2]?.ToString() ?? "unknown error" : "unknown error");
                }
                break;
            case "JS.Error":
                Error = args.FirstOrDefault()?.ToString();
                break;
        }
    }

    private void NotifyWatchers(RenderBatch batch, long arrived)
    {
        List<(byte[] Token, Action<long> OnSeen)> seen = [];
        lock (watchersLock)
        {
            for (var i = watchers.Count - 1; i >= 0; i--)
            {
                if (batch.Contains(watchers[i].Token))
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

    /// <summary>
    /// Finds the composer's component and its current input and submit handler ids. Handler ids change when the
    /// component re-renders, so every diff of the composer's component is scanned again.
    /// </summary>
    private void FindComposer(RenderBatch batch)
    {
        var diffs = batch.UpdatedComponents();
        if (composerComponentId >= 0 && !diffs.Any(d => d.ComponentId == composerComponentId))
        {
            // Most batches (a new message, someone typing) do not touch the composer: skip decoding their frames.
            return;
        }
        var frames = batch.ReferenceFrames();
        foreach (var diff in diffs)
        {
            var referenced = new List<RenderBatch.Frame>();
            foreach (var edit in diff.Edits.Where(e => e.Type is 1 or 3))
            {
                var first = frames[edit.ReferenceFrameIndex];
                var length = first.Type == RenderBatch.ElementFrame ? Math.Max(1, first.SubtreeLength) : 1;
                referenced.AddRange(frames.Skip(edit.ReferenceFrameIndex).Take(length));
            }
            string? element = null;
            var attributes = new Dictionary<string, RenderBatch.Frame>();
            void Flush()
            {
                if (element == "textarea" && attributes.TryGetValue("id", out var id) && id.Value == "composer-input" && attributes.TryGetValue("oninput", out var input))
                {
                    composerComponentId = diff.ComponentId;
                    composerInputHandler = input.EventHandlerId;
                }
                if (element == "form" && attributes.TryGetValue("class", out var css) && css.Value == "composer" && attributes.TryGetValue("onsubmit", out var submit))
                {
                    composerSubmitHandler = submit.EventHandlerId;
                }
                attributes.Clear();
            }
            foreach (var frame in referenced)
            {
                if (frame.Type == RenderBatch.AttributeFrame)
                {
                    attributes[frame.Name!] = frame;
                    if (element is null && diff.ComponentId == composerComponentId && frame.EventHandlerId > 0)
                    {
                        // A lone attribute update in the composer: its handlers were re-created.
                        if (frame.Name == "oninput")
                        {
                            composerInputHandler = frame.EventHandlerId;
                        }
                        else if (frame.Name == "onsubmit")
                        {
                            composerSubmitHandler = frame.EventHandlerId;
                        }
                    }
                    continue;
                }
                Flush();
                element = frame.Type == RenderBatch.ElementFrame ? frame.Name : null;
            }
            Flush();
        }
        if (composerInputHandler > 0 && composerSubmitHandler > 0 && rendererInteropObjectId >= 0)
        {
            composerReady.TrySetResult();
        }
    }

    /// <summary>Answers the JS interop calls a chat page makes, with what a real browser would return.</summary>
    private async Task AnswerJsCallAsync(long handle, string identifier, string? argsJson, long resultType, long targetInstance)
    {
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
        else if (identifier == "notificationPermission")
        {
            result = "denied";
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
        await SendAsync("EndInvokeJSFromDotNet", w => w.Int(handle).Bool(true).String(payload));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        if (receiveLoop is not null)
        {
            await Task.WhenAny(receiveLoop, Task.Delay(2000));
        }
        socket.Dispose();
        stopping.Dispose();
    }

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->")]
    private static partial Regex StatePattern();
}
