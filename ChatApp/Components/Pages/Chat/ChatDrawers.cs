namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// The chat page's side panel drawer (members, search, mentions): inline beside the room on wide screens, a drawer
/// over it on phones and narrow windows, opened on demand. The room list's drawer is the shell's (AppShell).
/// </summary>
public sealed class ChatDrawers(ChatPageScript script)
{
    /// <summary>Below this width the side panel is not shown inline (SidePanel.razor.css).</summary>
    public const string NarrowQuery = "(max-width: 900px)";

    public bool SideOpen { get; set; }

    /// <summary>Search results or mentions were asked for: where the side panel is not inline, open its drawer.</summary>
    public async Task ShowSideAsync()
    {
        if (await script.MatchesMediaAsync(NarrowQuery))
        {
            SideOpen = true;
        }
    }
}
