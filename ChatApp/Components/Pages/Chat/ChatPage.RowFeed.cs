using ChatApp.Chat;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The page's side of a room's row feed (<see cref="LiveRows"/>): opening it for the browser, and taking over when it ends.</summary>
public sealed partial class ChatPage
{
    private LiveRowFeed? rowFeed;

    [Inject] private LiveRows LiveRows { get; set; } = null!;

    /// <summary>
    /// A room of more than Chat:LiveRowsMembers members is open: its new rows can come over a row feed (<see cref="LiveRows"/>) instead of renders of this
    /// circuit. The browser is given a one-time ticket to attach its socket; until it does, and after the feed ends,
    /// this circuit renders every row itself.
    /// </summary>
    private async Task OpenRowFeedAsync()
    {
        if (rowFeed is not null || !LiveRows.Enabled || tab.RowFeedRoomId == 0 || !script.IsLoaded)
        {
            return;
        }
        var (feed, ticket) = LiveRows.Open(Session, rowContext);
        rowFeed = feed;
        tab.RowFeed = feed;
        feed.Attached += () => _ = RowFeedAttachedAsync(feed);
        feed.Ended += () => _ = RowFeedEndedAsync(feed);
        await script.ConnectRowsAsync($"{LiveRowFeed.Path.TrimStart('/')}?ticket={ticket}");
    }

    /// <summary>The browser attached its socket: the page hands the typing line to it (the list renders it empty, keyed by room).</summary>
    private Task RowFeedAttachedAsync(LiveRowFeed feed) => OnCircuitAsync(() =>
    {
        if (rowFeed == feed)
        {
            Render(OpenRoom.Change.Page);
        }
    });

    /// <summary>The feed ended (the socket closed, the tab fell behind, the session was revoked): render every row, and the typing line, here again.</summary>
    private Task RowFeedEndedAsync(LiveRowFeed feed) => OnCircuitAsync(() =>
    {
        if (rowFeed == feed)
        {
            (rowFeed, tab.RowFeed) = (null, null);
        }
        Render(OpenRoom.Change.Messages | OpenRoom.Change.Page);
    });

    private async Task OnCircuitAsync(Action action)
    {
        try
        {
            await InvokeAsync(action);
        }
        catch (ObjectDisposedException)
        {
            // The circuit ended first.
        }
    }
}
