using ChatApp.Chat;
using ChatApp.Security;
using MudBlazor;

namespace ChatApp.Components.Pages.Chat;

/// <summary>What the reader does to a message from its row: edit, react, delete (after asking), pin, save. Refusals show as snackbars.</summary>
public sealed class MessageActions(MessageService messages, ReactionService reactions, PinService pins, SavedMessages saved, ChatDialogs dialogs, ISnackbar snackbar,
    ChatApp.Components.Layout.MudHosts hosts, ChatUser me, CircuitSession session)
{
    /// <returns>An error to show under the edit box, or null.</returns>
    public async Task<string?> EditAsync(ChatMessage message, string text) => (await messages.EditAsync(me, message.Id, text)).Error;

    public async Task ReactAsync((ChatMessage Message, string Emoji) reaction) =>
        ShowError(await reactions.ToggleAsync(me, reaction.Message.Id, reaction.Emoji));

    public async Task DeleteAsync(ChatMessage message)
    {
        var mine = message.AuthorId == me.Id;
        if (await dialogs.ConfirmAsync(mine ? "Delete message" : "Remove message",
            mine ? "Delete this message for everyone?" : $"Remove this message by {message.AuthorName}? Everyone will see \"removed by a moderator\".",
            mine ? "Delete" : "Remove"))
        {
            ShowError(await messages.DeleteAsync(me, message.Id, session.IpAddress));
        }
    }

    /// <summary>Pins a message to its room or unpins it; everyone in the room sees the change through the room's events.</summary>
    public async Task PinAsync(ChatMessage message) =>
        ShowError(message.IsPinned ? await pins.UnpinAsync(me, message.Id, session.IpAddress) : await pins.PinAsync(me, message.Id, session.IpAddress));

    /// <summary>Saves a message for the reader or unsaves it; the reader's tabs mark it through their own events.</summary>
    public async Task SaveAsync(ChatMessage message) =>
        ShowError(message.IsSaved ? await saved.UnsaveAsync(me, message.Id) : await saved.SaveAsync(me, message.Id));

    /// <returns>Whether the action succeeded; a refusal shows as a snackbar.</returns>
    public bool ShowError(ChatResult result)
    {
        if (!result.Succeeded)
        {
            // The snackbar service keeps it until the host, rendered now if it was not, shows it.
            _ = hosts.EnsureAsync();
            snackbar.Add(result.Error ?? "", Severity.Error);
        }
        return result.Succeeded;
    }
}
