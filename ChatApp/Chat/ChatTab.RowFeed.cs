namespace ChatApp.Chat;

/// <summary>The tab's row feed (<see cref="LiveRowFeed"/>): which room it carries rows of, and the renders it saves.</summary>
public sealed partial class ChatTab
{
    /// <summary>
    /// Rows carried by the row feed between two renders of the list at most: the render then shows them as the list's
    /// own (the browser drops its carried copies) and lets the list trim its live window.
    /// </summary>
    private const int CarriedRowsPerRender = 50;

    private int carriedSinceRender;

    /// <summary>The tab's row feed, once its browser was given one (the page opens it for big rooms).</summary>
    public LiveRowFeed? RowFeed
    {
        get;
        set
        {
            field = value;
            value?.Show(BigRoomId);
        }
    }

    /// <summary>The open room when it is a big room (its new rows may come over the row feed), else 0.</summary>
    public int BigRoomId => Room is { } room && room.Members.Count > options.Value.BigRoomMembers ? room.Id : 0;

    /// <summary>
    /// A new row the row feed carried to the browser needs no render of the list, unless the page renders anyway or the
    /// list has not rendered for <see cref="CarriedRowsPerRender"/> carried rows.
    /// </summary>
    private OpenRoom.Change WithoutCarriedRow(OpenRoom.Change change, ChatMessage message)
    {
        if (!change.HasFlag(OpenRoom.Change.Messages))
        {
            return change;
        }
        if (!change.HasFlag(OpenRoom.Change.Page) && RowFeed?.Carried(message) == true && ++carriedSinceRender < CarriedRowsPerRender)
        {
            return change & ~OpenRoom.Change.Messages;
        }
        carriedSinceRender = 0;
        return change;
    }
}
