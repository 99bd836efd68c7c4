using ChatApp.Chat;
using MudBlazor;

namespace ChatApp.Components.Pages.Chat;

/// <summary>The chat's dialogs and confirmations, each returning what the user chose (null when they cancelled).</summary>
public sealed class ChatDialogs(IDialogService dialogs, ChatApp.Components.Layout.MudHosts hosts)
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    public Task<RoomInfo?> CreateRoomAsync(ChatUser creator) =>
        ShowAsync<CreateRoomDialog, RoomInfo>("Create a room", new() { [nameof(CreateRoomDialog.Creator)] = creator });

    /// <summary>The name of the public room opened or joined.</summary>
    public Task<string?> BrowseRoomsAsync(ChatUser viewer) =>
        ShowAsync<BrowseRoomsDialog, string>("Browse rooms", new() { [nameof(BrowseRoomsDialog.Viewer)] = viewer });

    /// <summary>The id of the direct message started (or found).</summary>
    public async Task<int?> NewDirectMessageAsync(ChatUser sender)
    {
        await hosts.EnsureAsync();
        var reference = await dialogs.ShowAsync<NewDirectMessageDialog>("New direct message",
            new DialogParameters { [nameof(NewDirectMessageDialog.Sender)] = sender }, Options);
        return await reference.Result is { Canceled: false, Data: int roomId } ? roomId : null;
    }

    public async Task InviteAsync(ChatUser inviter, RoomInfo room, IReadOnlyList<RoomPerson> members)
    {
        await hosts.EnsureAsync();
        var reference = await dialogs.ShowAsync<InviteDialog>($"Invite people to #{room.Name}", new DialogParameters
        {
            [nameof(InviteDialog.Inviter)] = inviter,
            [nameof(InviteDialog.Room)] = room,
            [nameof(InviteDialog.Members)] = members,
        }, Options);
        await reference.Result;
    }

    /// <summary>A yes/cancel question; true only when the user said yes.</summary>
    public async Task<bool> ConfirmAsync(string title, string question, string yes)
    {
        await hosts.EnsureAsync();
        // Not MudBlazor's message box: its title is an h6, out of the page's heading order.
        return await ChatApp.Components.Layout.ConfirmDialog.AskAsync(dialogs, title, question, yes);
    }

    private async Task<T?> ShowAsync<TDialog, T>(string title, DialogParameters parameters) where TDialog : Microsoft.AspNetCore.Components.IComponent where T : class
    {
        await hosts.EnsureAsync();
        var reference = await dialogs.ShowAsync<TDialog>(title, parameters, Options);
        return await reference.Result is { Canceled: false, Data: T value } ? value : null;
    }
}
