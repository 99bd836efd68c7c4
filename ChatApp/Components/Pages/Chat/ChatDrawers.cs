using MudBlazor;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// Which of the chat page's drawers are open. Wide screens dock the room list beside the room and show the side
/// panel inline; on phones the room list is a drawer from the app bar and the side panel opens on demand.
/// </summary>
public sealed class ChatDrawers(IBrowserViewportService viewport)
{
    /// <summary>Below this width the side panel (members, search, mentions) is not shown inline (SidePanel.razor.css).</summary>
    public const string NarrowQuery = "(max-width: 900px)";

    public bool RoomsOpen { get; set; } = true;

    public bool SideOpen { get; set; }

    /// <summary>The room list is a temporary drawer (the viewport is below the drawer's breakpoint).</summary>
    public bool Compact { get; private set; }

    public void BreakpointChanged(Breakpoint breakpoint) => Compact = breakpoint == Breakpoint.Xs;

    /// <summary>Another room was opened: on a phone the room list gets out of the way.</summary>
    public void Navigated()
    {
        if (Compact)
        {
            RoomsOpen = false;
        }
    }

    /// <summary>Search results or mentions were asked for: where the side panel is not inline, open its drawer.</summary>
    public async Task ShowSideAsync()
    {
        if (await viewport.IsMediaQueryMatchAsync(NarrowQuery))
        {
            SideOpen = true;
        }
    }
}
