using ChatApp.Chat;
using ChatApp.Security;
using MudBlazor;

namespace ChatApp.Components.Pages.Chat;

/// <summary>What the reader does to a message from its row: edit, react, delete (after asking). Refusals show as snackbars.</summary>
public sealed class MessageActions(MessageService messages, ReactionService reactions, ChatDialogs dialogs, ISnackbar snackbar, ChatApp.Components.Layout.MudHosts hosts, ChatUser me, CircuitSession session)
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
