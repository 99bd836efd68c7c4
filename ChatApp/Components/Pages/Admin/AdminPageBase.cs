using System.Security.Claims;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Radzen;

namespace ChatApp.Components.Pages.Admin;

/// <summary>What every admin page needs: who is acting (for re-authorization and the audit log) and a way to report.</summary>
public abstract class AdminPageBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [Inject]
    private CircuitSession Session { get; set; } = null!;

    [Inject]
    protected NotificationService Notifications { get; set; } = null!;

    [Inject]
    protected DialogService Dialogs { get; set; } = null!;

    protected AuditActor Actor { get; private set; } = new(null, null, null);

    /// <summary>The actor is known; grids load only from then on (their first load would otherwise run without it).</summary>
    protected bool Ready => Actor.Id is not null;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        Actor = new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.FindFirstValue(ChatClaimTypes.DisplayName), Session.IpAddress);
    }

    /// <summary>A toast for the outcome; true when it succeeded.</summary>
    protected bool Report(ChatApp.Chat.ChatResult result, string success)
    {
        Notifications.Notify(result.Succeeded
            ? new NotificationMessage { Severity = NotificationSeverity.Success, Summary = success, Duration = 4000 }
            : new NotificationMessage { Severity = NotificationSeverity.Error, Summary = "Not done", Detail = result.Error ?? "", Duration = 8000 });
        return result.Succeeded;
    }

    protected async Task<bool> ConfirmAsync(string question, string title, string ok) =>
        await Dialogs.Confirm(question, title, new ConfirmOptions { OkButtonText = ok, CancelButtonText = "Cancel" }) == true;
}
