namespace ChatApp.Components.Layout;

/// <summary>
/// MudBlazor's popover, dialog and snackbar hosts for this tab. MainLayout renders them the first time something
/// needs one (a dialog, a snackbar, a menu, an admin page), not in every tab that never opens any: each host is a
/// component the tab keeps in server memory while it is open (AppShell.cs says why that matters).
/// Anything outside a dialog and an admin page that opens a dialog, shows a snackbar or renders a MudBlazor menu
/// awaits <see cref="EnsureAsync"/> first (MudHostsTests checks the components for it).
/// </summary>
public sealed class MudHosts
{
    private TaskCompletionSource? rendered;

    /// <summary>Raised when the hosts are asked for the first time; MainLayout renders them.</summary>
    public event Action? Requested;

    public bool IsRequested => rendered is not null;

    /// <summary>Has the hosts rendered; completes once they are on the page (a dialog shown before that would be lost).</summary>
    public Task EnsureAsync()
    {
        if (rendered is null)
        {
            rendered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Requested?.Invoke();
        }
        return rendered.Task;
    }

    /// <summary>The hosts are on the page (MainLayout rendered them, or a test did).</summary>
    public void Rendered() => (rendered ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
