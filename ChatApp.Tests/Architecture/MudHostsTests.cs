namespace ChatApp.Architecture;

/// <summary>
/// MudBlazor's popover, dialog and snackbar hosts render only once something asks for them (Layout/MudHosts.cs).
/// A component that opens a dialog, shows a snackbar or renders a menu without asking would open nothing in a chat
/// tab: every such component asks, unless it is itself a dialog (rendered inside the hosts) or an admin page
/// (AdminPageBase asks for every admin page).
/// </summary>
[Trait("Cost", "component")]
public sealed class MudHostsTests
{
    private static readonly string[] NeedsHosts = ["IDialogService", "ISnackbar", "<MudMenu", "<MudSelect", "<MudTooltip", "<MudAutocomplete"];

    [Fact]
    public void Every_component_that_opens_a_MudBlazor_popup_outside_dialogs_and_admin_pages_asks_for_the_hosts_first()
    {
        var components = Path.Combine(ChatApp.Tests.Infrastructure.ExternalApp.ProjectDirectory(), "Components");
        var missing = Directory.EnumerateFiles(components, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".razor", StringComparison.Ordinal) || path.EndsWith(".cs", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path: Path.GetRelativePath(components, path), Text: File.ReadAllText(path)))
            .Where(file => NeedsHosts.Any(file.Text.Contains))
            .Where(file => !IsDialog(file.Text) && !file.Text.Contains("AdminPageBase", StringComparison.Ordinal))
            .Where(file => !file.Text.Contains("MudHosts", StringComparison.Ordinal) && !file.Text.Contains("hosts.EnsureAsync", StringComparison.Ordinal))
            .Select(file => file.Path)
            .ToList();

        Assert.True(missing.Count == 0, "These open MudBlazor popups without asking MudHosts first: " + string.Join(", ", missing));
    }

    // A dialog renders inside the dialog host, so the hosts are there; so does the static helper that opens ConfirmDialog for admin pages.
    private static bool IsDialog(string text) =>
        text.Contains("<MudDialog", StringComparison.Ordinal) || text.Contains("IMudDialogInstance", StringComparison.Ordinal);
}
