namespace ChatApp.Components.Layout;

/// <summary>
/// The app shell's room drawer, shared by the layout (its toggle in the app bar) and the chat page (the drawer
/// itself). One per circuit. Until the reader toggles it the drawer follows the viewport through CSS alone: docked
/// beside the room from 600 px, hidden below. Once toggled it is explicitly open or closed.
/// </summary>
/// <remarks>
/// The drawer, its scrim and the toggle are plain markup with MudBlazor's classes rather than MudDrawer and
/// MudIconButton: every open tab keeps its components in server memory (two render trees each, plus MudBlazor's
/// parameter state and a viewport observer), and the shell is in every tab (bench/FINDINGS.md, "MudBlazor UI").
/// </remarks>
public sealed class AppShell
{
    private bool? roomsOpen;

    /// <summary>Raised when something the layout or the chat page shows changed; both re-render.</summary>
    public event Action? Changed;

    /// <summary>A page with a room drawer is shown: the app bar offers its toggle and a skip link to the composer.</summary>
    public bool HasRooms { get; private set; }

    /// <summary>The viewport is below the drawer's breakpoint (known once the page's script reported it).</summary>
    public bool Compact { get; private set; }

    /// <summary>Whether the room list is on screen (for the toggle's aria-expanded).</summary>
    public bool RoomsOpen => roomsOpen ?? !Compact;

    /// <summary>The CSS state of the drawer: chosen by the reader, or left to the viewport.</summary>
    public string RoomsState => roomsOpen switch
    {
        true => "rooms-open",
        false => "rooms-closed",
        null => "rooms-auto",
    };

    public void AttachRooms() => Set(() => HasRooms = true);

    public void DetachRooms() => Set(() => (HasRooms, roomsOpen) = (false, null));

    public void ViewportKnown(bool compact) => Set(() => Compact = compact);

    public void ToggleRooms() => Set(() => roomsOpen = !RoomsOpen);

    public void CloseRooms() => Set(() => roomsOpen = false);

    /// <summary>Another room was opened: on a phone the room list gets out of the way, on a wide screen it stays.</summary>
    public void Navigated()
    {
        if (roomsOpen is not null)
        {
            Set(() => roomsOpen = null);
        }
    }

    private void Set(Action change)
    {
        change();
        Changed?.Invoke();
    }
}
