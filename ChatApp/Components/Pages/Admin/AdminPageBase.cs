using System.Security.Claims;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ChatApp.Components.Pages.Admin;

/// <summary>What every admin page needs: who is acting (for re-authorization and the audit log) and a way to report.</summary>
public abstract class AdminPageBase : ComponentBase
{
    private const int SuccessMilliseconds = 4000;
    private const int FailureMilliseconds = 8000;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [Inject]
    private CircuitSession Session { get; set; } = null!;

    [Inject]
    protected ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    protected IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ChatApp.Components.Layout.MudHosts Hosts { get; set; } = null!;

    protected AuditActor Actor { get; private set; } = new(null, null, null);

    /// <summary>The actor is known; grids load only from then on (their first load would otherwise run without it).</summary>
    protected bool Ready => Actor.Id is not null;

    protected override async Task OnInitializedAsync()
    {
        // Grids, menus and dialogs on every admin page: MudBlazor's hosts from the first render.
        _ = Hosts.EnsureAsync();
        var user = (await AuthenticationState).User;
        Actor = new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.FindFirstValue(ChatClaimTypes.DisplayName), Session.IpAddress);
    }

    /// <summary>A snackbar for the outcome; true when it succeeded.</summary>
    protected bool Report(ChatApp.Chat.ChatResult result, string success)
    {
        if (result.Succeeded)
        {
            Snackbar.Add(success, Severity.Success, options => options.VisibleStateDuration = SuccessMilliseconds);
        }
        else
        {
            Snackbar.Add($"Not done: {result.Error}", Severity.Error, options => options.VisibleStateDuration = FailureMilliseconds);
        }
        return result.Succeeded;
    }

    protected async Task<bool> ConfirmAsync(string question, string title, string ok) =>
        await ChatApp.Components.Layout.ConfirmDialog.AskAsync(Dialogs, title, question, ok);

    /// <summary>
    /// Starts a menu item's action without holding the menu open: a menu closes only once its item's handler
    /// returns, and an action may wait for a dialog. Failures still reach the circuit.
    /// </summary>
    protected void RunFromMenu(Func<Task> action) => _ = InvokeAsync(async () =>
    {
        try
        {
            await action();
            StateHasChanged();
        }
        catch (Exception exception)
        {
            await DispatchExceptionAsync(exception);
        }
    });

    /// <summary>Shows a dialog and tells whether it closed with a done action (the dialog closes with <c>true</c>).</summary>
    protected async Task<bool> ShowAsync<TDialog>(string title, DialogParameters<TDialog> parameters) where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        return await dialog.Result is { Canceled: false, Data: true };
    }
}
