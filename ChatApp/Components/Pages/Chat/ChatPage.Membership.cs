using ChatApp.Chat;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The chat page's membership actions: joining and leaving rooms, starting direct messages.</summary>
public sealed partial class ChatPage
{
    private async Task JoinAsync()
    {
        if (Current is not null && actions.ShowError(await Rooms.JoinAsync(Me, Current.Id)))
        {
            await tab.LoadSidebarAsync();
            await tab.ReopenAsync();
            await RoomOpenedAsync();
        }
    }

    private async Task LeaveAsync()
    {
        if (Current is not null && await dialogs.ConfirmAsync("Leave room", $"Leave #{Current.Name}?", "Leave")
            && actions.ShowError(await Rooms.LeaveAsync(Me, Current.Id)))
        {
            Navigation.NavigateTo($"chat/{ChatApp.Data.Room.GeneralRoomName}");
        }
    }

    private async Task DirectMessageStartedAsync(int roomId)
    {
        await tab.LoadSidebarAsync();
        Navigation.NavigateTo(tab.Sidebar.Find(roomId)?.Href(Me.Id) ?? $"dm/{roomId}");
    }

    /// <summary>"Start conversation" with the person a /dm/{name} link named.</summary>
    private async Task StartDirectAsync()
    {
        if (directCandidate is not { } person)
        {
            return;
        }
        var direct = await Rooms.OpenDirectAsync(Me, [person.UserId]);
        if (!direct.Succeeded)
        {
            tab.Notice = direct.Error;
            return;
        }
        await tab.LoadSidebarAsync();
        if (await Membership.GetVisibleRoomAsync(Me.Id, direct.Value) is { } room)
        {
            directCandidate = null;
            await OpenRoomAsync(room);
        }
    }
}
