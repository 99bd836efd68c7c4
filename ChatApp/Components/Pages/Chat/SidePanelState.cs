namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// What the chat page's side panel shows (members, search results, mentions, followed threads, pinned and saved
/// messages) and whether its drawer is open: the
/// panel is inline beside the room on wide screens and a drawer over it on phones and narrow windows, opened when
/// results are asked for. The room list's drawer is the shell's (Layout/AppShell.cs).
/// </summary>
public sealed class SidePanelState(ChatPageScript script)
{
    /// <summary>Below this width the side panel is not shown inline (SidePanel.razor.css).</summary>
    public const string NarrowQuery = "(max-width: 900px)";

    public ChatSidePanel.Panel Shown { get; private set; } = ChatSidePanel.Panel.Members;

    /// <summary>The last search asked for (the search panel runs it).</summary>
    public SearchPanel.SearchRequest? Search { get; private set; }

    /// <summary>Counts openings of the mentions and threads lists, so each one reloads.</summary>
    public int MentionsOpened { get; private set; }

    /// <summary>Counts openings of the saved list, so each one reloads it.</summary>
    public int SavedOpened { get; private set; }

    public bool DrawerOpen { get; set; }

    public Task ShowSearchAsync(SearchPanel.SearchRequest request)
    {
        (Search, Shown) = (request, ChatSidePanel.Panel.Search);
        return OpenDrawerWhereNarrowAsync();
    }

    public Task ShowMentionsAsync()
    {
        (MentionsOpened, Shown) = (MentionsOpened + 1, ChatSidePanel.Panel.Mentions);
        return OpenDrawerWhereNarrowAsync();
    }

    public Task ShowThreadsAsync()
    {
        (MentionsOpened, Shown) = (MentionsOpened + 1, ChatSidePanel.Panel.Threads);
        return OpenDrawerWhereNarrowAsync();
    }

    public Task ShowSavedAsync()
    {
        (SavedOpened, Shown) = (SavedOpened + 1, ChatSidePanel.Panel.Saved);
        return OpenDrawerWhereNarrowAsync();
    }

    /// <summary>The open room's pinned messages (read again whenever its pins change while shown).</summary>
    public Task ShowPinnedAsync()
    {
        Shown = ChatSidePanel.Panel.Pinned;
        return OpenDrawerWhereNarrowAsync();
    }

    /// <summary>Back to the members list.</summary>
    public void ShowMembers() => Shown = ChatSidePanel.Panel.Members;

    private async Task OpenDrawerWhereNarrowAsync()
    {
        if (await script.MatchesMediaAsync(NarrowQuery))
        {
            DrawerOpen = true;
        }
    }
}
