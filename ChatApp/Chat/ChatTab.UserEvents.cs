namespace ChatApp.Chat;

/// <summary>The tab's events about the reader (added to or removed from a room, read markers, settings) and room changes.</summary>
public sealed partial class ChatTab
{
    /// <summary>An admin renamed, locked or archived a room: reload the sidebar and, if open, the room's state.</summary>
    private async Task RefreshRoomAsync(int roomId)
    {
        await LoadSidebarAsync();
        if (Current?.Id == roomId && await membership.GetVisibleRoomAsync(Me.Id, roomId) is { } updated)
        {
            var renamed = updated.Name != Current.Name && !updated.IsDirect;
            Current = updated;
            Room?.Info = updated;
            PostingNotice = await messages.CheckPostingAsync(Me.Id, roomId);
            if (renamed)
            {
                Renamed?.Invoke(updated);
            }
        }
        changed(OpenRoom.Change.Page);
    }

    private Task OnUserEventAsync(UserEvent userEvent) => userEvent is ReadMarkerMoved { FromTab: var from } && from == tabId ? Task.CompletedTask : invoke(async () =>
    {
        try
        {
            if (await ApplyAsync(userEvent))
            {
                changed(OpenRoom.Change.Page);
            }
        }
        catch (Exception exception)
        {
            await fail(exception);
        }
    });

    /// <summary>Applies an event addressed to the reader; returns whether the page changed.</summary>
    public async Task<bool> ApplyAsync(UserEvent userEvent)
    {
        switch (userEvent)
        {
            case AddedToRoom added:
                await LoadSidebarAsync();
                await Threads.LoadAsync();
                if (Current is { IsMember: false } preview && preview.Id == added.RoomId)
                {
                    await ReopenAsync();
                }
                return true;
            case RemovedFromRoom removed:
                var name = Current is null ? "" : Current.IsDirect ? Sidebar.Find(Current.Id)?.Name ?? "Direct message" : "#" + Current.Name;
                Sidebar.Remove(removed.RoomId);
                live.SyncRooms(Sidebar.RoomIds);
                Threads.CloseIn(removed.RoomId);
                await Threads.LoadAsync();
                if (Current?.Id == removed.RoomId)
                {
                    (Current, Room) = (await membership.GetVisibleRoomAsync(Me.Id, removed.RoomId), null);
                    Notice = Current is null ? $"You are no longer a member of {name}." : null;
                }
                return true;
            case Resync:
                // Events may have been missed (the Redis backplane was down): read the sidebar and the open
                // room again; catching up by sequence adds what is missing and nothing twice.
                await LoadSidebarAsync();
                await CatchUpAsync();
                return true;
            case SavedChanged saved:
                return Room?.Id == saved.RoomId && Room.Timeline.SetSaved(saved.Sequence, saved.Saved);
            case NotificationLevelChanged levelChanged:
                Sidebar.SetLevel(levelChanged.RoomId, levelChanged.Level);
                return true;
            case DoNotDisturbChanged dnd:
                DoNotDisturbUntil = dnd.Until;
                return true;
            case MuteChanged mute when Current?.Id == mute.RoomId:
                PostingNotice = await messages.CheckPostingAsync(Me.Id, mute.RoomId);
                return true;
            case ReadMarkerMoved moved:
                var readingHere = moved.RoomId == Room?.Id && Room.AtBottom && PageVisible;
                switch (Sidebar.MoveReadMarker(moved.RoomId, moved.Sequence, readingHere))
                {
                    case SidebarState.MarkerMove.CountAgain:
                        Sidebar.SetCounts(moved.RoomId, await messages.CountUnreadAsync(Me.Id, moved.RoomId),
                            await messages.CountUnreadMentionsAsync(Me.Id, moved.RoomId));
                        return true;
                    case SidebarState.MarkerMove.Cleared:
                        return true;
                    default:
                        return false;
                }
            default:
                return true;
        }
    }
}
