using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatApp.LoadDriver;

/// <summary>The tab's composer: typing and sending through UI events, by the handler ids read from render batches.</summary>
public sealed partial class CircuitClient
{
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

    /// <summary>Types into the composer without sending, as a person who pauses before Enter (the server may show them typing).</summary>
    public async Task TypeAsync(string text)
    {
        await composerLock.WaitAsync();
        try
        {
            await InputAsync(text);
        }
        finally
        {
            composerLock.Release();
        }
    }

    /// <summary>Sends what was typed, as Enter would; completes when the server handled it.</summary>
    public async Task SubmitAsync()
    {
        await composerLock.WaitAsync();
        try
        {
            await SubmitEventAsync();
        }
        finally
        {
            composerLock.Release();
        }
    }

    private async Task<long> TypeAndSubmitAsync(string text)
    {
        await InputAsync(text);
        var sent = Stopwatch.GetTimestamp();
        await SubmitEventAsync();
        return sent;
    }

    private Task InputAsync(string text) => DispatchAsync(() => new JsonObject
    {
        ["eventHandlerId"] = composerInputHandler,
        ["eventName"] = "input",
        ["eventFieldInfo"] = new JsonObject { ["componentId"] = composerComponentId, ["fieldValue"] = text },
    }, new JsonObject { ["value"] = text });

    private Task SubmitEventAsync() => DispatchAsync(() => new JsonObject
    {
        ["eventHandlerId"] = composerSubmitHandler,
        ["eventName"] = "submit",
        ["eventFieldInfo"] = null,
    }, new JsonObject());

    /// <summary>
    /// Sends a UI event. The handler id is read under the same lock that applies and acknowledges render
    /// batches: the server forgets a replaced handler id once the batch replacing it is acknowledged, so an id
    /// must never be read before a batch and sent after that batch's acknowledgement (a browser's DOM has the
    /// same order: it applies a batch, then acknowledges it).
    /// </summary>
    private async Task DispatchAsync(Func<JsonObject> descriptor, JsonObject eventArgs)
    {
        var call = Interlocked.Increment(ref nextCallId);
        var callId = call.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pendingDotNetCalls[callId] = done;
        await renderLock.WaitAsync();
        try
        {
            var described = descriptor();
            Trace(described["eventName"]!.GetValue<string>() == "input" ? 4 : 5, described["eventHandlerId"]!.GetValue<long>());
            var args = new JsonArray(described, eventArgs).ToJsonString();
            await connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", rendererInteropObjectId, args);
            Trace(6, call);
        }
        finally
        {
            renderLock.Release();
        }
        if (await done.Task.WaitAsync(TimeSpan.FromSeconds(60)) is { } error)
        {
            throw new InvalidOperationException($"The server failed to handle a UI event: {error}\nThe tab's last steps (composer component {composerComponentId}): {DumpTrace()}");
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
                    SetComposerInputHandler(input.EventHandlerId);
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
                            SetComposerInputHandler(frame.EventHandlerId);
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

    private void SetComposerInputHandler(long id)
    {
        if (composerInputHandler > 0 && id != composerInputHandler)
        {
            Interlocked.Increment(ref composerInputHandlerReplacements);
        }
        composerInputHandler = id;
    }
}
