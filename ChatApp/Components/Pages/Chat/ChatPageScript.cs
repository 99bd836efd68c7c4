using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// The chat page's one way into the browser and back (ChatPage.razor.js): scroll following and anchoring of the
/// message log, the reader's time zone and tab visibility, and browser notifications. Calls from the script reach
/// the page through <see cref="Handlers"/>. A closed tab makes every call a no-op.
/// </summary>
public sealed class ChatPageScript(IJSRuntime js, ChatPageScript.Handlers handlers) : IAsyncDisposable
{
    /// <summary>
    /// What the page does when the reader scrolls, switches tabs or is active; they run on the circuit's dispatcher.
    /// NearTop and NearBottom get the first and last sequence the scroll saw, to drop requests made against an older window.
    /// </summary>
    public sealed record Handlers(Action<bool> AtBottomChanged, Func<long, Task> NearTop, Func<long, Task> NearBottom, Action<bool> VisibilityChanged, Action Activity);

    private IJSObjectReference? module;
    private DotNetObjectReference<ChatPageScript>? self;
    private IJSObjectReference? scrollHandle;

    /// <summary>The reader's time zone, whether the tab is visible, and whether the viewport is phone-sized (below 600 px).</summary>
    public sealed record BrowserEnvironment(string TimeZone, bool Visible, bool Compact = false);

    public bool IsLoaded => module is not null;

    private bool disposed;
    private bool logReplaced;
    private bool scrollToBottom;
    private bool restoreAnchor;
    private long? scrollToSequence;

    /// <summary>Another room's log is shown: follow it from its bottom after the next render.</summary>
    public void LogReplaced() => (logReplaced, scrollToBottom) = (true, true);

    /// <summary>Scroll to the newest message after the next render (or, with false, don't).</summary>
    public void ScrollToBottomAfterRender(bool scroll = true) => scrollToBottom = scroll;

    /// <summary>Older messages are being added above: keep what the reader sees in place after the next render.</summary>
    public void RestoreAnchorAfterRender() => restoreAnchor = true;

    /// <summary>Bring a message into view after the next render, instead of the bottom.</summary>
    public void ScrollToMessageAfterRender(long sequence) => (scrollToSequence, scrollToBottom) = (sequence, false);

    /// <summary>Does what the last render asked for: follow a new log, keep the anchor, scroll.</summary>
    public async Task AfterRenderAsync(ElementReference log)
    {
        if (module is null)
        {
            return;
        }
        if ((logReplaced || scrollHandle is null) && !await AttachAsync(log))
        {
            // The log left the page while the call was on its way: what this render asked for is for the next log.
            return;
        }
        if (restoreAnchor)
        {
            restoreAnchor = false;
            await CallAsync("restoreAnchor", log);
        }
        if (scrollToSequence is { } sequence)
        {
            scrollToSequence = null;
            await CallAsync("scrollToMessage", log, sequence);
        }
        else if (scrollToBottom)
        {
            scrollToBottom = false;
            await CallAsync("scrollToBottom", log);
        }
    }

    /// <summary>Loads the module and reads the browser's time zone, visibility and notification permission.</summary>
    public async Task<(BrowserEnvironment Environment, string NotificationPermission)> StartAsync()
    {
        module = await js.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Chat/ChatPage.razor.js");
        var environment = await module.InvokeAsync<BrowserEnvironment>("environment");
        var permission = await module.InvokeAsync<string>("notificationPermission");
        return (environment, permission);
    }

    /// <summary>
    /// Follows this message log (the element changes when another room opens): scroll position, near-top and
    /// near-bottom loading, visibility and activity come back through the [JSInvokable] methods below. A render may
    /// remove the log while the call is on its way (the reader opened another room): then the next render's log is
    /// followed instead, and false returned.
    /// </summary>
    private async Task<bool> AttachAsync(ElementReference log)
    {
        if (module is null || disposed)
        {
            return false;
        }
        logReplaced = false;
        if (scrollHandle is null)
        {
            self ??= DotNetObjectReference.Create(this);
            var handle = await module.InvokeAsync<IJSObjectReference>("attach", self);
            if (disposed)
            {
                // The page went while the handle was made: it listens to the document until told otherwise.
                await ReleaseAsync(handle);
                return false;
            }
            scrollHandle = handle;
        }
        if (await scrollHandle.InvokeAsync<bool>("setLog", log))
        {
            return true;
        }
        logReplaced = true;
        return false;
    }

    /// <summary>Opens the tab's row feed at <paramref name="url"/> (relative, with its one-time ticket).</summary>
    public Task ConnectRowsAsync(string url) => CallAsync("connectRows", url);

    /// <summary>Remembers the distance from the bottom, so older messages added above do not move what the reader sees.</summary>
    public Task CaptureAnchorAsync(ElementReference log) => CallAsync("captureAnchor", log);

    /// <summary>Whether a CSS media query matches in the browser now (false before the script is loaded).</summary>
    public async Task<bool> MatchesMediaAsync(string query) =>
        module is not null && await module.InvokeAsync<bool>("matchesMedia", query);

    public async Task<string?> RequestNotificationsAsync() =>
        module is null ? null : await module.InvokeAsync<string>("requestNotifications");

    /// <summary>A browser notification, shown only while the tab is hidden; one per room (the tag replaces the last).</summary>
    public Task NotifyAsync(ChatApp.Chat.ChatMessage message, ChatApp.Chat.RoomListEntry? entry) => CallAsync("notify",
        $"{message.AuthorName}{(entry is null || entry.IsDirect ? "" : $" in #{entry.Name}")}",
        message.Text.Length > 140 ? message.Text[..140] + "…" : message.Text,
        $"chatapp-{message.RoomId}");

    [JSInvokable]
    public Task OnAtBottomChanged(bool bottom)
    {
        handlers.AtBottomChanged(bottom);
        return Task.CompletedTask;
    }

    [JSInvokable]
    public Task OnNearTop(long firstShown) => handlers.NearTop(firstShown);

    [JSInvokable]
    public Task OnNearBottom(long lastShown) => handlers.NearBottom(lastShown);

    [JSInvokable]
    public Task OnVisibilityChanged(bool visible)
    {
        handlers.VisibilityChanged(visible);
        return Task.CompletedTask;
    }

    [JSInvokable]
    public void OnActivity() => handlers.Activity();

    private async Task CallAsync(string identifier, params object?[] args)
    {
        if (module is null || disposed)
        {
            return;
        }
        try
        {
            await module.InvokeVoidAsync(identifier, args);
        }
        catch (JSDisconnectedException)
        {
            // The tab closed meanwhile.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // An after-render call of the page may still be between two of its calls: it makes no more.
        disposed = true;
        try
        {
            if (scrollHandle is not null)
            {
                await ReleaseAsync(scrollHandle);
            }
            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab is already gone.
        }
        self?.Dispose();
    }

    private static async Task ReleaseAsync(IJSObjectReference handle)
    {
        await handle.InvokeVoidAsync("dispose");
        await handle.DisposeAsync();
    }
}
