using System.Security.Claims;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// Coordinates the chat: routes to a room through the tab's state (<see cref="ChatTab"/>), wires that state to the
/// components, renders what live events changed, and turns the user's actions into service calls.
/// </summary>
public sealed partial class ChatPage
{
    private ChatTab tab = null!;
    private bool signedIn;
    private bool isAdmin;
    private bool notificationsEnabled;
    private bool mayManageWebhooks;
    private string notificationPermission = "unsupported";
    private MessageRowContext rowContext = null!;
    private ChatPageScript script = null!;
    private ChatDialogs dialogs = null!;
    private MessageActions actions = null!;

    private RoomPerson? directCandidate;
    private ChatMessage? replyTo;
    private readonly List<AttachmentInfo> pendingAttachments = [];
    private SidePanelState side = null!;

    private MessageList? messageList;

    /// <summary>
    /// The room's message list while it is on the page. The reference outlives the list: a render without it (another
    /// room opening, or one the reader may only join) disposes it, and that render's after-render call can run once
    /// the next room is set — with the old log's element, no longer in the browser.
    /// </summary>
    private MessageList? ShownList => messageList is { IsDisposed: false } list ? list : null;

    private Composer? composer;

    [Parameter]
    public string? RoomName { get; set; }

    [Parameter]
    public string? DirectTarget { get; set; }

    /// <summary>A message to jump to (its sequence, from search results and the mentions list); read as text, since a hand-edited link must not fail the page.</summary>
    [SupplyParameterFromQuery(Name = "at")]
    public string? AtText { get; set; }

    private long? At => long.TryParse(AtText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [Inject] private RoomService Rooms { get; set; } = null!;
    [Inject] private MessageService Messages { get; set; } = null!;
    [Inject] private RoomMembership Membership { get; set; } = null!;
    [Inject] private PresenceTracker PresenceTracker { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private CircuitSession Session { get; set; } = null!;
    [Inject] private ChatApp.Webhooks.WebhookService Webhooks { get; set; } = null!;
    [Inject] private AdminRoster Admins { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService DialogService { get; set; } = null!;
    [Inject] private ChatApp.Components.Layout.MudHosts Hosts { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private IOptions<ChatOptions> Options { get; set; } = null!;
    /// <summary>Builds the tab's state and the row actions, which need services this page does not use itself.</summary>
    [Inject] private IServiceProvider Services { get; set; } = null!;
    [Inject] private ChatApp.Components.Layout.AppShell Shell { get; set; } = null!;

    private ChatUser Me => tab.Me;

    private RoomInfo? Current => tab.Current;

    private OpenRoom? Room => tab.Room;

    private string RoomTitle => Current switch
    {
        null => "",
        { Kind: RoomKind.Direct } => tab.Sidebar.Find(Current.Id)?.Name ?? "Direct message",
        _ => Current.Name,
    };

    /// <summary>This reader as the audit log and the admin-only services name them.</summary>
    private AuditActor Actor => new(Me.Id, Me.DisplayName, Session.IpAddress);

    private string PageTitle
    {
        get
        {
            var name = Current is null ? "ChatApp" : $"{(Current.IsDirect ? RoomTitle : "#" + Current.Name)} — ChatApp";
            return tab.Sidebar.TotalUnread > 0 ? $"({tab.Sidebar.TotalUnread}) {name}" : name;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        Shell.AttachRooms();
        Shell.Changed += StateHasChanged;
        script = new ChatPageScript(JS, new(
            AtBottomChanged: bottom => { tab.ReaderAtBottom(bottom); StateHasChanged(); },
            // Calls from script do not re-render on their own, unlike UI event handlers.
            // Only when there is older history: a short log is near its top at every scroll, and each would render the page.
            NearTop: first => Room?.Timeline is { HasOlder: true, Messages: [var shown, ..] } && shown.Sequence == first ? LoadAndRenderAsync(LoadOlderAsync) : Task.CompletedTask,
            NearBottom: last => Room?.Timeline.LastSequence == last ? LoadAndRenderAsync(LoadNewerAsync) : Task.CompletedTask,
            VisibilityChanged: VisibilityChanged,
            Activity: () => PresenceTracker.Activity(Session.CircuitId)));
        side = new SidePanelState(script);
        dialogs = new ChatDialogs(DialogService, Hosts);
        tab = ActivatorUtilities.CreateInstance<ChatTab>(Services, (IChatRecipient)Session, (IRoomHistory)History);
        tab.Notify += (message, entry) => _ = NotifyAsync(message, entry);
        tab.Renamed += room => Navigation.NavigateTo($"chat/{Uri.EscapeDataString(room.Name)}", replace: true);
        // signedIn turns true only once everything the signed-in markup uses exists: the shell's Changed event can
        // render this page while the awaits below are pending (seen as a NullReferenceException under load).
        if (!await tab.SignInAsync((await AuthenticationState).User.FindFirstValue(ClaimTypes.NameIdentifier)))
        {
            Navigation.NavigateTo("Account/Login", forceLoad: true);
            return;
        }
        isAdmin = await Admins.IsAdminAsync(Me.Id);
        notificationsEnabled = await Rooms.NotificationsEnabledAsync(Me.Id);
        actions = ActivatorUtilities.CreateInstance<MessageActions>(Services, dialogs, Me, Session);
        rowContext = new MessageRowContext
        {
            MeId = Me.Id,
            CanModerate = isAdmin,
            Edit = actions.EditAsync,
            Delete = EventCallback.Factory.Create<ChatMessage>(this, actions.DeleteAsync),
            Reply = EventCallback.Factory.Create<ChatMessage>(this, StartReplyAsync),
            React = EventCallback.Factory.Create<(ChatMessage, string)>(this, actions.ReactAsync),
            Jump = EventCallback.Factory.Create<long>(this, JumpToAsync),
            OpenThread = EventCallback.Factory.Create<(long, long?)>(this, OpenThreadAsync),
            Pin = EventCallback.Factory.Create<ChatMessage>(this, actions.PinAsync),
            Save = EventCallback.Factory.Create<ChatMessage>(this, actions.SaveAsync),
        };
        signedIn = true;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!signedIn)
        {
            return;
        }
        Shell.Navigated();
        (var target, directCandidate) = await new RoomAddresses(Rooms, Membership).ResolveAsync(Me.Id, RoomName, DirectTarget);
        if (target is null)
        {
            if (directCandidate is null)
            {
                Navigation.NotFound();
            }
            else
            {
                tab.Close();
                Session.CurrentRoom = null;
            }
            return;
        }
        if (target.Id != Current?.Id || target.IsMember != Current.IsMember)
        {
            await OpenRoomAsync(target);
        }
        if (At is { } sequence)
        {
            side.DrawerOpen = false;
            await JumpToAsync(sequence);
        }
        await OpenThreadFromAddressAsync();
    }

    private async Task OpenRoomAsync(RoomInfo target)
    {
        Session.CurrentRoom = target.IsDirect ? "direct message" : target.Name;
        replyTo = null;
        pendingAttachments.Clear();
        await tab.OpenAsync(target);
        await RoomOpenedAsync();
    }

    /// <summary>
    /// A room (or none) is now open: its names mark mentions, the log starts at its bottom, and the header offers the
    /// webhooks button only to those who may manage them — checked here, once per room, so that the other readers'
    /// tabs hold no webhooks component at all (a component costs every open tab ~3.5 KB; the button checks again).
    /// </summary>
    private async Task RoomOpenedAsync()
    {
        rowContext.Members = Room?.MemberNames ?? new Dictionary<string, string>();
        script.LogReplaced();
        mayManageWebhooks = Room is not null && Current is { IsDirect: false }
            && await Webhooks.CanManageAsync(Actor, Room.Id);
        if (tab.IsLive)
        {
            await OpenRowFeedAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!signedIn || !RendererInfo.IsInteractive)
        {
            return;
        }
        if (!tab.IsLive)
        {
            var (environment, permission) = await script.StartAsync();
            tab.PageVisible = environment.Visible;
            Shell.ViewportKnown(environment.Compact);
            notificationPermission = permission;
            if (TimeZoneInfo.TryFindSystemTimeZoneById(environment.TimeZone, out var zone))
            {
                rowContext.TimeZone = zone;
            }
            await tab.GoLiveAsync(InvokeAsync, Render, DispatchExceptionAsync);
            await OpenRowFeedAsync();
            StateHasChanged();
            return;
        }
        if (ShownList is { } list)
        {
            await script.AfterRenderAsync(list.Element);
        }
    }

    /// <summary>Renders what changed: the page (and with it everything), or just the message list or typing line.</summary>
    private void Render(OpenRoom.Change changed)
    {
        if (changed == OpenRoom.Change.None)
        {
            return;
        }
        if (changed.HasFlag(OpenRoom.Change.ScrollToBottom))
        {
            script.ScrollToBottomAfterRender();
        }
        if (Room is null || changed.HasFlag(OpenRoom.Change.Page)
            || ((changed.HasFlag(OpenRoom.Change.Messages) || changed.HasFlag(OpenRoom.Change.Typing)) && ShownList is null))
        {
            if (Room?.MemberNames is { } names && !ReferenceEquals(rowContext.Members, names))
            {
                rowContext.Members = names;
            }
            StateHasChanged();
            return;
        }
        if (changed.HasFlag(OpenRoom.Change.Messages))
        {
            ShownList!.Refresh(Room.Timeline.Messages, Room.Typing.Text);
        }
        else if (changed.HasFlag(OpenRoom.Change.Typing))
        {
            ShownList!.ShowTyping(Room.Typing.Text);
        }
    }

    private async Task<string?> SendAsync(string text, Guid clientId)
    {
        if (Current is null)
        {
            return ChatResult.RoomNotFound;
        }
        PresenceTracker.Activity(Session.CircuitId);
        var result = await Messages.SendAsync(Me, Current.Id, text, clientId,
            new MessageService.SendOptions(replyTo?.Id, [.. pendingAttachments.Select(a => a.Id)]));
        if (result.Succeeded)
        {
            tab.Sent(result.Value!);
            script.ScrollToBottomAfterRender();
            if (replyTo is not null || pendingAttachments.Count > 0)
            {
                // The composer's reply banner and "has attachments" come from this page: it renders them gone. A plain
                // message changes nothing here (the list shows it, the composer empties itself).
                replyTo = null;
                pendingAttachments.Clear();
                StateHasChanged();
            }
        }
        return result.Error;
    }

    private async Task TypingAsync()
    {
        if (Room is not null)
        {
            await Messages.NotifyTypingAsync(Me, Room.Id);
        }
    }

    private async Task StartReplyAsync(ChatMessage message)
    {
        replyTo = message;
        if (composer is not null)
        {
            await composer.FocusAsync();
        }
    }

    private Task NotifyAsync(ChatMessage message, RoomListEntry? entry) =>
        notificationsEnabled ? script.NotifyAsync(message, entry) : Task.CompletedTask;

    private async Task EnableNotificationsAsync() =>
        notificationPermission = await script.RequestNotificationsAsync() ?? notificationPermission;

    private Task ShowMentions()
    {
        Shell.Navigated();
        return side.ShowMentionsAsync();
    }

    /// <summary>Shows a message in context: loads around it if needed, scrolls to it and flashes it.</summary>
    private async Task JumpToAsync(long sequence)
    {
        if (Room is null || sequence <= 0)
        {
            return;
        }
        await Room.Timeline.JumpToAsync(sequence);
        Room.UnseenBelow = 0;
        script.ScrollToMessageAfterRender(sequence);
        StateHasChanged();
    }

    private async Task LoadOlderAsync()
    {
        var list = messageList;
        if (Room is { } open && list is not null
            && await open.Timeline.LoadOlderAsync(() => open == Room ? script.CaptureAnchorAsync(list.Element) : Task.CompletedTask))
        {
            if (open == Room)
            {
                script.RestoreAnchorAfterRender();
            }
        }
    }

    private async Task LoadNewerAsync()
    {
        if (Room is not null)
        {
            await Room.Timeline.LoadNewerAsync();
        }
    }

    private async Task JumpToLatestAsync()
    {
        if (Room is null)
        {
            return;
        }
        Room.UnseenBelow = 0;
        script.ScrollToBottomAfterRender();
        await Room.Timeline.JumpToLatestAsync();
        tab.MarkRead(Room.Id, Room.Timeline.LastSequence);
    }

    private async Task LoadAndRenderAsync(Func<Task> load)
    {
        await load();
        StateHasChanged();
    }

    private void VisibilityChanged(bool visible)
    {
        tab.PageVisible = visible;
        if (visible && Room is { AtBottom: true })
        {
            tab.MarkRead(Room.Id, Room.Timeline.LastSequence);
            StateHasChanged();
        }
    }

    private Task InviteAsync() => Current is null ? Task.CompletedTask : dialogs.InviteAsync(Me, Current, Room?.Members ?? []);

    public async ValueTask DisposeAsync()
    {
        Shell.Changed -= StateHasChanged;
        Shell.DetachRooms();
        tab?.Dispose();
        rowFeed?.Dispose();
        await (script?.DisposeAsync() ?? ValueTask.CompletedTask);
    }
}
