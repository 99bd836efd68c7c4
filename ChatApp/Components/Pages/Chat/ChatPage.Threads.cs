using System.Globalization;
using ChatApp.Chat;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The chat page's threads: opening one beside the room (from a message, a link or a search hit) and the followed list.</summary>
public sealed partial class ChatPage
{
    /// <summary>A thread to open with the room (its root message's id), from the threads list, search hits and mentions.</summary>
    [SupplyParameterFromQuery(Name = "thread")]
    public string? ThreadText { get; set; }

    /// <summary>The reply to show in the opened thread (its sequence).</summary>
    [SupplyParameterFromQuery(Name = "reply")]
    public string? ReplyText { get; set; }

    private static long? ParseId(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>Opens the thread the address names, once per address.</summary>
    private async Task OpenThreadFromAddressAsync()
    {
        if (Room is not null && ParseId(ThreadText) is { } rootId && (tab.Threads.Open?.RootId != rootId || ParseId(ReplyText) is not null))
        {
            await OpenThreadAsync((rootId, ParseId(ReplyText)));
        }
    }

    private async Task OpenThreadAsync((long RootId, long? Reply) at)
    {
        Shell.Navigated();
        if (await tab.Threads.OpenAsync(at.RootId, at.Reply))
        {
            side.DrawerOpen = false;
        }
        else
        {
            actions.ShowError(ChatResult.Fail(ChatResult.MessageNotFound));
        }
    }

    private void CloseThread()
    {
        tab.Threads.Close();
        if (ThreadText is not null)
        {
            // Closing must stick: the address would open the thread again on the next navigation.
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["thread"] = null, ["reply"] = null }), replace: true);
        }
    }

    /// <summary>A thread reply also sent to the room: the room shows it at once, like the reader's own messages.</summary>
    private void SentToRoom(ChatMessage reply)
    {
        tab.Sent(reply);
        script.ScrollToBottomAfterRender();
    }

    private Task ShowThreads()
    {
        Shell.Navigated();
        return side.ShowThreadsAsync();
    }

    private Task ShowSaved()
    {
        Shell.Navigated();
        return side.ShowSavedAsync();
    }
}
