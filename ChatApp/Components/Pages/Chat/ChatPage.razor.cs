using System.Security.Claims;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Radzen;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// Coordinates the chat: the sidebar, the open room and the live events of this circuit. All state lives
/// here on the server; the browser only receives rendered markup.
/// </summary>
public sealed partial class ChatPage
{
    private readonly Dictionary<int, IDisposable> roomSubscriptions = [];
    private readonly Dictionary<string, PresenceStatus> presence = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<RoomEvent> pendingRoomEvents = new();
    private int roomEventsScheduled;
    private int presenceVersion;
    private TypingIndicator? typingIndicator;
    private readonly Dictionary<string, (string Name, DateTime Until)> typing = [];
    private List<RoomListEntry> sidebar = [];
    private List<ChatMessage> messages = [];
    private IReadOnlyList<RoomPerson> members = [];
    private ChatUser? me;
    private ChatMessage? replyTo;
    private Panel panel = Panel.Members;
    private string searchQuery = "";
    private string searchShown = "";
    private bool searchAllRooms;
    private int searchTotal;
    private List<MessageHits.Hit> searchHits = [];
    private List<MessageHits.Hit> mentionHits = [];

    private enum Panel
    {
        Members,
        Search,
        Mentions,
    }
    private Dictionary<string, string> memberNames = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<string> mentionCandidates = [];
    private readonly List<AttachmentInfo> pendingAttachments = [];
    private long? highlightSequence;
    private Composer? composer;
    private bool isAdmin;
    private bool notificationsEnabled;
    private string notificationPermission = "unsupported";
    private string? postingNotice;
    private RoomInfo? current;
    private RoomPerson? directCandidate;
    private string? notice;
    private bool hasOlder;
    // The window does not reach the newest message (the reader scrolled far back or jumped to an old one).
    private bool hasNewer;
    private bool loadingOlder;
    private bool atBottom = true;
    private bool pageVisible = true;
    private int unseenBelow;
    private int maxLength;
    private TimeZoneInfo timeZone = TimeZoneInfo.Utc;
    private MessageList? messageList;
    private IDisposable? userSubscription;
    private IJSObjectReference? module;
    private IJSObjectReference? scrollHandle;
    private DotNetObjectReference<ChatPage>? selfReference;
    private Timer? typingTimer;
    private bool interactive;
    private bool scrollToBottomPending;
    private bool restoreAnchorPending;
    private long? scrollToSequencePending;
    private bool logChanged;
    private long pendingRead;
    private int pendingReadRoom;
    private bool readFlushScheduled;

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

    [Inject]
    private RoomService Rooms { get; set; } = null!;

    [Inject]
    private MessageService Messages { get; set; } = null!;

    [Inject]
    private RoomMembership Membership { get; set; } = null!;

    [Inject]
    private IChatNotifier Notifier { get; set; } = null!;

    [Inject]
    private PresenceTracker PresenceTracker { get; set; } = null!;

    [Inject]
    private CircuitSession Session { get; set; } = null!;

    [Inject]
    private SearchService Search { get; set; } = null!;

    [Inject]
    private ChatApp.Operations.ChatMetrics Metrics { get; set; } = null!;

    [Inject]
    private AdminRoster Admins { get; set; } = null!;

    [Inject]
    private ChatApp.Admin.AdminRoomService AdminRooms { get; set; } = null!;

    [Inject]
    private ContextMenuService ContextMenu { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private DialogService Dialogs { get; set; } = null!;

    [Inject]
    private NotificationService Notifications { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [Inject]
    private IOptions<ChatOptions> Options { get; set; } = null!;

    private string RoomTitle => current switch
    {
        null => "",
        { Kind: RoomKind.Direct } => sidebar.FirstOrDefault(r => r.Id == current.Id)?.Name ?? "Direct message",
        _ => current.Name,
    };

    private int TotalUnread => sidebar.Sum(r => r.Unread);

    private string PageTitle
    {
        get
        {
            var name = current is null ? "ChatApp" : $"{(current.Kind == RoomKind.Direct ? RoomTitle : "#" + current.Name)} — ChatApp";
            return TotalUnread > 0 ? $"({TotalUnread}) {name}" : name;
        }
    }

    private int OnlineCount
    {
        get
        {
            // Counted again only when the members or their presence changed, not on every message.
            if (onlineCounted != (members, presenceVersion))
            {
                onlineCount = members.Count(m => PresenceOf(m.UserId) != PresenceStatus.Offline);
                onlineCounted = (members, presenceVersion);
            }
            return onlineCount;
        }
    }

    private int onlineCount;
    private (IReadOnlyList<RoomPerson>, int)? onlineCounted;

    private string? TypingText
    {
        get
        {
            var now = DateTime.UtcNow;
            var names = typing.Values.Where(t => t.Until > now).Select(t => t.Name).Order().ToList();
            return names.Count switch
            {
                0 => null,
                1 => $"{names[0]} is typing…",
                2 => $"{names[0]} and {names[1]} are typing…",
                _ => "Several people are typing…",
            };
        }
    }

    private PresenceStatus PresenceOf(string userId) =>
        presence.TryGetValue(userId, out var status) ? status : PresenceTracker.GetStatus(userId);

    protected override async Task OnInitializedAsync()
    {
        maxLength = Options.Value.MaxMessageLength;
        var user = (await AuthenticationState).User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        me = userId is null ? null : await Rooms.GetChatUserAsync(userId);
        if (me is null)
        {
            Navigation.NavigateTo("Account/Login", forceLoad: true);
            return;
        }
        isAdmin = await Admins.IsAdminAsync(me.Id);
        notificationsEnabled = await Rooms.NotificationsEnabledAsync(me.Id);
        await LoadSidebarAsync();
    }

    private AuditActor Actor => new(me!.Id, me.DisplayName, Session.IpAddress);

    protected override async Task OnParametersSetAsync()
    {
        if (me is null)
        {
            return;
        }
        directCandidate = null;
        var target = await ResolveRoomAsync();
        if (target is null)
        {
            if (directCandidate is null)
            {
                Navigation.NotFound();
            }
            else
            {
                current = null;
                Session.CurrentRoom = null;
            }
            return;
        }
        if (target.Id != current?.Id || target.IsMember != current.IsMember)
        {
            await OpenRoomAsync(target);
        }
        if (At is { } sequence && current?.IsMember == true)
        {
            await JumpToAsync(sequence);
        }
    }

    private async Task<RoomInfo?> ResolveRoomAsync()
    {
        if (DirectTarget is not null)
        {
            if (await Rooms.FindPersonByDisplayNameAsync(DirectTarget) is { } person)
            {
                // Following a link only opens an existing conversation; starting one is the user's action.
                if (await Rooms.FindDirectAsync(me!.Id, [person.UserId]) is not { } existing)
                {
                    directCandidate = person;
                    return null;
                }
                return await Membership.GetVisibleRoomAsync(me!.Id, existing);
            }
            return int.TryParse(DirectTarget, out var id) && await Membership.GetVisibleRoomAsync(me!.Id, id) is { Kind: RoomKind.Direct } group
                ? group
                : null;
        }
        if (RoomName is not null)
        {
            return await Membership.FindVisibleRoomByNameAsync(me!.Id, RoomName);
        }
        var last = await Rooms.GetLastOpenedRoomAsync(me!.Id) ?? Room.GeneralRoomId;
        return await Membership.GetVisibleRoomAsync(me.Id, last)
            ?? await Membership.GetVisibleRoomAsync(me.Id, Room.GeneralRoomId);
    }

    private async Task OpenRoomAsync(RoomInfo room)
    {
        current = room;
        Session.CurrentRoom = room.Kind == RoomKind.Direct ? "direct message" : room.Name;
        notice = null;
        postingNotice = null;
        typing.Clear();
        unseenBelow = 0;
        atBottom = true;
        messages = [];
        members = [];
        hasOlder = false;
        hasNewer = false;
        replyTo = null;
        highlightSequence = null;
        pendingAttachments.Clear();
        if (!room.IsMember)
        {
            return;
        }
        var latest = await Messages.GetLatestAsync(me!.Id, room.Id);
        Merge(latest);
        hasOlder = latest.Count >= Options.Value.HistoryPageSize;
        SetMembers(await Rooms.GetMembersAsync(me.Id, room.Id));
        postingNotice = await Messages.CheckPostingAsync(me.Id, room.Id);
        scrollToBottomPending = true;
        logChanged = true;
        if (interactive)
        {
            await Rooms.RecordOpenedAsync(me.Id, room.Id);
            MarkRead(room.Id, messages.LastOrDefault()?.Sequence ?? 0);
        }
    }

    private void SetMembers(IReadOnlyList<RoomPerson> people)
    {
        members = people;
        memberNames = people.DistinctBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(p => p.DisplayName, p => p.UserId, StringComparer.OrdinalIgnoreCase);
        mentionCandidates = [.. people.Where(p => p.UserId != me!.Id).Select(p => p.DisplayName)];
        if (current?.Kind != RoomKind.Direct)
        {
            memberNames[MessageFormatter.RoomMention] = MessageFormatter.RoomMention;
            mentionCandidates = [.. mentionCandidates, MessageFormatter.RoomMention];
        }
    }

    private async Task LoadSidebarAsync()
    {
        var rooms = await Rooms.GetSidebarAsync(me!.Id);
        sidebar = rooms.Select(r => new RoomListEntry(r)).ToList();
        if (interactive)
        {
            SyncRoomSubscriptions();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (me is null || !RendererInfo.IsInteractive)
        {
            return;
        }
        if (!interactive)
        {
            interactive = true;
            selfReference = DotNetObjectReference.Create(this);
            // Subscribe first, then catch up from the database: nothing sent in between is missed.
            userSubscription = Notifier.SubscribeToUser(Session, OnUserEventAsync);
            SyncRoomSubscriptions();
            module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Chat/ChatPage.razor.js");
            var environment = await module.InvokeAsync<BrowserEnvironment>("environment");
            pageVisible = environment.Visible;
            notificationPermission = await module.InvokeAsync<string>("notificationPermission");
            if (TimeZoneInfo.TryFindSystemTimeZoneById(environment.TimeZone, out var zone))
            {
                timeZone = zone;
            }
            await CatchUpAsync();
            if (current?.IsMember == true)
            {
                await Rooms.RecordOpenedAsync(me.Id, current.Id);
                MarkRead(current.Id, messages.LastOrDefault()?.Sequence ?? 0);
            }
            StateHasChanged();
            return;
        }
        if (module is null)
        {
            return;
        }
        if (messageList is not null && (logChanged || scrollHandle is null))
        {
            logChanged = false;
            if (scrollHandle is null)
            {
                scrollHandle = await module.InvokeAsync<IJSObjectReference>("attach", messageList.Element, selfReference);
            }
            else
            {
                await scrollHandle.InvokeVoidAsync("setLog", messageList.Element);
            }
        }
        if (messageList is null)
        {
            return;
        }
        if (restoreAnchorPending)
        {
            restoreAnchorPending = false;
            await module.InvokeVoidAsync("restoreAnchor", messageList.Element);
        }
        if (scrollToSequencePending is { } target)
        {
            scrollToSequencePending = null;
            await module.InvokeVoidAsync("scrollToMessage", messageList.Element, target);
        }
        else if (scrollToBottomPending)
        {
            scrollToBottomPending = false;
            await module.InvokeVoidAsync("scrollToBottom", messageList.Element);
        }
    }

    private sealed record BrowserEnvironment(string TimeZone, bool Visible);

    /// <summary>Fills anything the open room missed (a new circuit, or a reconnect), after subscribing.</summary>
    private async Task CatchUpAsync()
    {
        // A window away from the newest messages loads newer ones as the reader scrolls down, not here.
        if (current?.IsMember != true || hasNewer)
        {
            return;
        }
        var after = messages.LastOrDefault()?.Sequence ?? 0;
        var missed = await Messages.GetAfterAsync(me!.Id, current.Id, after);
        if (missed.Count > 0)
        {
            Merge(missed);
            scrollToBottomPending = atBottom;
        }
    }

    private void SyncRoomSubscriptions()
    {
        var wanted = sidebar.Select(r => r.Id).ToHashSet();
        foreach (var roomId in roomSubscriptions.Keys.Where(id => !wanted.Contains(id)).ToList())
        {
            roomSubscriptions.Remove(roomId, out var subscription);
            subscription?.Dispose();
        }
        foreach (var roomId in wanted.Where(id => !roomSubscriptions.ContainsKey(id)))
        {
            roomSubscriptions[roomId] = Notifier.SubscribeToRoom(roomId, Session, OnRoomEventAsync);
        }
    }

    /// <summary>Adds or replaces messages by sequence, keeping order: no gaps, no duplicates.</summary>
    /// <summary>
    /// How many messages a page keeps while following the conversation at the bottom. Older ones are dropped
    /// (and come back with "Load older messages"), so a tab left open for days costs the same as a fresh one.
    /// </summary>
    internal const int LiveWindow = 100;

    private void Merge(IEnumerable<ChatMessage> incoming)
    {
        foreach (var message in incoming)
        {
            // The list is sorted by sequence: replace the same sequence, or insert where it belongs.
            if (messages.Count == 0 || message.Sequence > messages[^1].Sequence)
            {
                messages.Add(message);
                continue;
            }
            var (low, high) = (0, messages.Count - 1);
            while (low <= high)
            {
                var middle = (low + high) / 2;
                if (messages[middle].Sequence < message.Sequence)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
            if (low < messages.Count && messages[low].Sequence == message.Sequence)
            {
                messages[low] = message;
            }
            else
            {
                messages.Insert(low, message);
            }
        }
    }

    /// <summary>How long a missing sequence may be late (relayed from another server) before it is fetched.</summary>
    private static readonly TimeSpan GapGrace = TimeSpan.FromSeconds(1);

    private int gapCheckScheduled;

    /// <summary>
    /// A message arrived with a sequence past the next one: the ones between were delayed (another server's,
    /// still on their way) or lost (the backplane was down when they were sent). After a short grace, whatever
    /// is still missing is read from the database; sequences are dense per room, so a gap is always visible.
    /// </summary>
    private void ScheduleGapCheck()
    {
        if (Interlocked.Exchange(ref gapCheckScheduled, 1) == 1)
        {
            return;
        }
        _ = Task.Delay(GapGrace).ContinueWith(_ => InvokeAsync(async () =>
        {
            Volatile.Write(ref gapCheckScheduled, 0);
            try
            {
                await FillGapAsync();
            }
            catch (Exception exception)
            {
                await DispatchExceptionAsync(exception);
            }
        }), TaskScheduler.Default);
    }

    private async Task FillGapAsync()
    {
        if (current?.IsMember != true || messages.Count < 2)
        {
            return;
        }
        // The newest run of consecutive sequences; the gap is just before it.
        var first = messages.Count - 1;
        while (first > 0 && messages[first - 1].Sequence == messages[first].Sequence - 1)
        {
            first--;
        }
        if (first == 0)
        {
            return;
        }
        var missed = await Messages.GetAfterAsync(me!.Id, current.Id, messages[first - 1].Sequence);
        if (missed.Count > 0)
        {
            Merge(missed);
            Render(Changed.Messages);
        }
    }

    private void TrimToLiveWindow()
    {
        if (highlightSequence is null)
        {
            DropOldestBeyond(LiveWindow);
        }
    }

    /// <summary>Keeps the newest <paramref name="keep"/> messages; the older ones load again on scrolling up.</summary>
    private void DropOldestBeyond(int keep)
    {
        if (messages.Count > keep)
        {
            messages.RemoveRange(0, messages.Count - keep);
            hasOlder = true;
        }
    }

    /// <summary>Keeps the oldest <paramref name="keep"/> messages; the newer ones load again on scrolling down.</summary>
    private void DropNewestBeyond(int keep)
    {
        if (messages.Count > keep)
        {
            messages.RemoveRange(keep, messages.Count - keep);
            hasNewer = true;
        }
    }

    /// <summary>
    /// Queues a room event for this page. The notifier calls this on the publisher's thread (for a new
    /// message: the commit that stored it), so the page is never rendered there; and events that pile up while
    /// this circuit is busy are applied together, in order, with one render.
    /// </summary>
    private Task OnRoomEventAsync(RoomEvent roomEvent)
    {
        pendingRoomEvents.Enqueue(roomEvent);
        if (Interlocked.Exchange(ref roomEventsScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static page => _ = page.ApplyPendingRoomEventsAsync(), this, preferLocal: false);
        }
        return Task.CompletedTask;
    }

    private async Task ApplyPendingRoomEventsAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                Volatile.Write(ref roomEventsScheduled, 0);
                var changed = Changed.None;
                while (pendingRoomEvents.TryDequeue(out var roomEvent))
                {
                    try
                    {
                        changed |= Apply(roomEvent);
                    }
                    catch (Exception exception)
                    {
                        _ = DispatchExceptionAsync(exception);
                    }
                }
                Render(changed);
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit ended while the events waited.
        }
    }

    private Task OnUserEventAsync(UserEvent userEvent) => InvokeAsync(async () =>
    {
        try
        {
            if (await ApplyAsync(userEvent))
            {
                StateHasChanged();
            }
        }
        catch (Exception exception)
        {
            await DispatchExceptionAsync(exception);
        }
    });

    /// <summary>What a room event changed, so that only that part renders again.</summary>
    [Flags]
    private enum Changed
    {
        None = 0,
        /// <summary>The open room's messages: the message list renders.</summary>
        Messages = 1,
        /// <summary>Who is typing: the typing line renders.</summary>
        Typing = 2,
        /// <summary>Anything else (sidebar, header, members, composer): the page renders.</summary>
        Page = 4,
    }

    private Changed Apply(RoomEvent roomEvent)
    {
        var entry = sidebar.FirstOrDefault(r => r.Id == roomEvent.RoomId);
        var isCurrent = current?.Id == roomEvent.RoomId && current.IsMember;
        var changed = Changed.Page;
        switch (roomEvent)
        {
            case MessagePosted { Message: var message }:
                Metrics.MessageRendered(message.CreatedAt);
                changed = Changed.None;
                if (message.AuthorId is { } authorId && typing.Remove(authorId))
                {
                    changed |= Changed.Typing;
                }
                var mine = message.AuthorId == me!.Id;
                if (!mine && !pageVisible && notificationsEnabled && (entry?.IsDirect == true || message.Mentions(me.Id)))
                {
                    _ = NotifyAsync(message, entry);
                }
                if (isCurrent && hasNewer)
                {
                    unseenBelow++;
                    changed |= Changed.Page;
                }
                else if (isCurrent)
                {
                    if (messages.Count > 0 && message.Sequence > messages[^1].Sequence + 1)
                    {
                        ScheduleGapCheck();
                    }
                    Merge([message]);
                    changed |= Changed.Messages;
                    if (mine || atBottom)
                    {
                        var hadOlder = hasOlder;
                        TrimToLiveWindow();
                        if (mine && !atBottom || hasOlder != hadOlder)
                        {
                            // Scrolling (the browser keeps itself at the bottom) or "load older" needs the page.
                            scrollToBottomPending = true;
                            changed |= Changed.Page;
                        }
                    }
                    else
                    {
                        unseenBelow++;
                        changed |= Changed.Page;
                    }
                }
                if (mine)
                {
                    if (entry is not null)
                    {
                        entry.LastReadSequence = Math.Max(entry.LastReadSequence, message.Sequence);
                    }
                }
                else if (isCurrent && pageVisible && atBottom)
                {
                    MarkRead(roomEvent.RoomId, message.Sequence);
                }
                else if (entry is not null && message.Sequence > entry.LastReadSequence)
                {
                    entry.Unread++;
                    if (message.Mentions(me.Id))
                    {
                        entry.UnreadMentions++;
                    }
                    changed |= Changed.Page;
                }
                break;
            case MessageEdited { Message: var edited }:
                var editedIndex = isCurrent ? messages.FindIndex(m => m.Sequence == edited.Sequence) : -1;
                if (editedIndex >= 0)
                {
                    // Keep what the edit does not change (reactions, reply, attachments).
                    messages[editedIndex] = messages[editedIndex] with { Text = edited.Text, EditedAt = edited.EditedAt };
                }
                changed = Changed.Messages;
                break;
            case MessageDeleted deleted:
                if (isCurrent)
                {
                    var index = messages.FindIndex(m => m.Sequence == deleted.Sequence);
                    if (index >= 0)
                    {
                        messages[index] = messages[index] with { Text = "", IsDeleted = true, RemovedByModerator = deleted.ByModerator };
                    }
                }
                if (entry is not null && deleted.AuthorId != me!.Id && deleted.Sequence > entry.LastReadSequence && entry.Unread > 0)
                {
                    entry.Unread--;
                    if (entry.UnreadMentions > 0)
                    {
                        _ = InvokeAsync(async () =>
                        {
                            entry.UnreadMentions = await Messages.CountUnreadMentionsAsync(me.Id, entry.Id);
                            StateHasChanged();
                        });
                    }
                }
                break;
            case UserTyping typingEvent when isCurrent && typingEvent.UserId != me!.Id:
                typing[typingEvent.UserId] = (typingEvent.DisplayName, DateTime.UtcNow + Options.Value.TypingTimeout);
                typingTimer ??= new Timer(_ => InvokeAsync(PruneTyping), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
                changed = Changed.Typing;
                break;
            case PresenceChanged presenceChanged:
                presence[presenceChanged.UserId] = presenceChanged.Status;
                presenceVersion++;
                break;
            case MemberJoined joined when isCurrent && members.All(m => m.UserId != joined.UserId):
                SetMembers([.. members, new RoomPerson(joined.UserId, joined.DisplayName)]);
                break;
            case MemberLeft left when isCurrent:
                SetMembers([.. members.Where(m => m.UserId != left.UserId)]);
                break;
            case ReactionsChanged reacted when isCurrent:
                var reactedIndex = messages.FindIndex(m => m.Sequence == reacted.Sequence);
                if (reactedIndex >= 0)
                {
                    messages[reactedIndex] = messages[reactedIndex] with { Reactions = reacted.Reactions };
                }
                changed = Changed.Messages;
                break;
            case RoomChanged:
                _ = InvokeAsync(() => RefreshRoomAsync(roomEvent.RoomId));
                break;
        }
        return changed;
    }

    /// <summary>An admin renamed, locked or archived a room: reload the sidebar and, if open, the room's state.</summary>
    private async Task RefreshRoomAsync(int roomId)
    {
        await LoadSidebarAsync();
        if (current?.Id == roomId && await Membership.GetVisibleRoomAsync(me!.Id, roomId) is { } updated)
        {
            var renamed = updated.Name != current.Name && updated.Kind != RoomKind.Direct;
            current = updated;
            postingNotice = await Messages.CheckPostingAsync(me.Id, roomId);
            if (renamed)
            {
                // Keep the address bar (and a reload) pointing at the room under its new name.
                Navigation.NavigateTo($"chat/{Uri.EscapeDataString(updated.Name)}", replace: true);
            }
        }
        StateHasChanged();
    }

    /// <returns>Whether the page changed.</returns>
    private async Task<bool> ApplyAsync(UserEvent userEvent)
    {
        switch (userEvent)
        {
            case AddedToRoom:
                await LoadSidebarAsync();
                if (current is { IsMember: false } preview && preview.Id == ((AddedToRoom)userEvent).RoomId
                    && await Membership.GetVisibleRoomAsync(me!.Id, preview.Id) is { } joined)
                {
                    await OpenRoomAsync(joined);
                }
                break;
            case RemovedFromRoom removed:
                sidebar.RemoveAll(r => r.Id == removed.RoomId);
                SyncRoomSubscriptions();
                if (current?.Id == removed.RoomId)
                {
                    var name = current.Kind == RoomKind.Direct ? RoomTitle : "#" + current.Name;
                    current = await Membership.GetVisibleRoomAsync(me!.Id, removed.RoomId);
                    messages = [];
                    members = [];
                    notice = current is null ? $"You are no longer a member of {name}." : null;
                }
                break;
            case Resync:
                // Events may have been missed (the Redis backplane was down): read the sidebar and the open
                // room again; catching up by sequence adds what is missing and nothing twice.
                await LoadSidebarAsync();
                await CatchUpAsync();
                break;
            case MuteChanged mute when current?.Id == mute.RoomId:
                postingNotice = await Messages.CheckPostingAsync(me!.Id, mute.RoomId);
                break;
            case ReadMarkerMoved moved when sidebar.FirstOrDefault(r => r.Id == moved.RoomId) is { } entry:
                // Usually this tab moved the marker itself (or the author's own message did): nothing to show.
                if (moved.Sequence <= entry.LastReadSequence)
                {
                    return false;
                }
                if (moved.RoomId == current?.Id && atBottom && pageVisible)
                {
                    // The room being read here: nothing in it is unread, no need to count.
                    var badgeShown = entry.Unread != 0 || entry.UnreadMentions != 0;
                    entry.LastReadSequence = moved.Sequence;
                    entry.Unread = 0;
                    entry.UnreadMentions = 0;
                    return badgeShown;
                }
                entry.LastReadSequence = moved.Sequence;
                entry.Unread = await Messages.CountUnreadAsync(me!.Id, moved.RoomId);
                entry.UnreadMentions = await Messages.CountUnreadMentionsAsync(me.Id, moved.RoomId);
                break;
        }
        return true;
    }

    /// <summary>Renders what changed: the page (and with it everything), or just the message list or typing line.</summary>
    private void Render(Changed changed)
    {
        if (changed.HasFlag(Changed.Page) || (changed.HasFlag(Changed.Messages) && messageList is null) || (changed.HasFlag(Changed.Typing) && typingIndicator is null))
        {
            StateHasChanged();
            return;
        }
        if (changed.HasFlag(Changed.Messages))
        {
            messageList!.Refresh(messages);
        }
        if (changed.HasFlag(Changed.Typing))
        {
            typingIndicator!.Show(TypingText);
        }
    }

    private void PruneTyping()
    {
        var now = DateTime.UtcNow;
        var expired = typing.Where(t => t.Value.Until <= now).Select(t => t.Key).ToList();
        foreach (var userId in expired)
        {
            typing.Remove(userId);
        }
        if (typing.Count == 0)
        {
            typingTimer?.Dispose();
            typingTimer = null;
        }
        if (expired.Count > 0)
        {
            Render(Changed.Typing);
        }
    }

    /// <summary>Moves the read marker, batching bursts into one write.</summary>
    private void MarkRead(int roomId, long sequence)
    {
        if (sidebar.FirstOrDefault(r => r.Id == roomId) is { } entry)
        {
            entry.Unread = 0;
            entry.UnreadMentions = 0;
            entry.LastReadSequence = Math.Max(entry.LastReadSequence, sequence);
        }
        if (pendingReadRoom != roomId)
        {
            pendingRead = 0;
        }
        pendingReadRoom = roomId;
        pendingRead = Math.Max(pendingRead, sequence);
        if (!readFlushScheduled)
        {
            readFlushScheduled = true;
            _ = InvokeAsync(FlushReadAsync);
        }
    }

    private async Task FlushReadAsync()
    {
        await Task.Delay(250);
        readFlushScheduled = false;
        if (pendingRead > 0)
        {
            await Messages.MarkReadAsync(me!.Id, pendingReadRoom, pendingRead);
        }
    }

    private async Task<string?> SendAsync(string text, Guid clientId)
    {
        if (current is null)
        {
            return ChatResult.RoomNotFound;
        }
        PresenceTracker.Activity(Session.CircuitId);
        var result = await Messages.SendAsync(me!, current.Id, text, clientId,
            new MessageService.SendOptions(replyTo?.Id, [.. pendingAttachments.Select(a => a.Id)]));
        if (result.Succeeded)
        {
            Merge([result.Value!]);
            scrollToBottomPending = true;
            unseenBelow = 0;
            replyTo = null;
            pendingAttachments.Clear();
        }
        return result.Error;
    }

    private async Task TypingAsync()
    {
        if (current?.IsMember == true)
        {
            await Messages.NotifyTypingAsync(me!, current.Id);
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

    private async Task ReactAsync((ChatMessage Message, string Emoji) reaction)
    {
        var result = await Messages.ToggleReactionAsync(me!, reaction.Message.Id, reaction.Emoji);
        if (!result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Error, result.Error ?? "");
        }
    }

    private async Task NotifyAsync(ChatMessage message, RoomListEntry? entry)
    {
        if (module is null)
        {
            return;
        }
        var where = entry is null ? "" : entry.IsDirect ? "" : $" in #{entry.Name}";
        var body = message.Text.Length > 140 ? message.Text[..140] + "…" : message.Text;
        try
        {
            await module.InvokeVoidAsync("notify", $"{message.AuthorName}{where}", body, $"chatapp-{message.RoomId}");
        }
        catch (JSDisconnectedException)
        {
            // The tab closed meanwhile.
        }
    }

    private async Task EnableNotificationsAsync()
    {
        if (module is not null)
        {
            notificationPermission = await module.InvokeAsync<string>("requestNotifications");
        }
    }

    private void AttachmentUploaded(AttachmentInfo file) => pendingAttachments.Add(file);

    private static string HitHref(int roomId, string roomName, RoomKind kind, long sequence) =>
        (kind == RoomKind.Direct ? $"dm/{roomId}" : $"chat/{Uri.EscapeDataString(roomName)}") + $"?at={sequence}";

    private async Task SearchAsync()
    {
        searchShown = searchQuery.Trim();
        searchHits = [];
        searchTotal = 0;
        panel = Panel.Search;
        await MoreSearchAsync();
    }

    private async Task MoreSearchAsync()
    {
        var page = await Search.SearchAsync(me!.Id, searchShown, searchAllRooms ? null : current?.Id, skip: searchHits.Count);
        searchTotal = page.Total;
        searchHits.AddRange(page.Items.Select(hit => new MessageHits.Hit(HitHref(hit.RoomId, hit.RoomName, hit.Kind, hit.Sequence),
            hit.AuthorName, hit.Kind == RoomKind.Direct ? "a direct message" : "#" + hit.RoomName, hit.CreatedAt, hit.SnippetHtml)));
    }

    private async Task ShowMentionsAsync()
    {
        var found = await Messages.GetMentionsAsync(me!.Id);
        mentionHits = [.. found.Select(f => new MessageHits.Hit(HitHref(f.Message.RoomId, f.RoomName, f.Kind, f.Message.Sequence),
            f.Message.AuthorName, f.Kind == RoomKind.Direct ? "a direct message" : "#" + f.RoomName, f.Message.CreatedAt, MessageFormatter.ToHtml(f.Message.Text)))];
        panel = Panel.Mentions;
    }

    /// <summary>Shows a message in context: loads from it to the newest if needed, scrolls to it and flashes it.</summary>
    private async Task JumpToAsync(long sequence)
    {
        if (current?.IsMember != true || sequence <= 0)
        {
            return;
        }
        if (messages.Count == 0 || sequence < messages[0].Sequence || sequence > messages[^1].Sequence)
        {
            // A page either side of the message, not everything from it to the newest.
            var pageSize = Options.Value.HistoryPageSize;
            var before = await Messages.GetBeforeAsync(me!.Id, current.Id, sequence);
            var after = await Messages.GetAfterAsync(me.Id, current.Id, sequence - 1, take: pageSize);
            messages = [.. before, .. after];
            hasOlder = messages.Count > 0 && messages[0].Sequence > 1;
            hasNewer = after.Count >= pageSize;
            unseenBelow = 0;
        }
        highlightSequence = sequence;
        scrollToSequencePending = sequence;
        scrollToBottomPending = false;
        StateHasChanged();
    }

    private async Task<string?> EditAsync(ChatMessage message, string text)
    {
        var result = await Messages.EditAsync(me!, message.Id, text);
        return result.Error;
    }

    private async Task DeleteAsync(ChatMessage message)
    {
        var mine = message.AuthorId == me!.Id;
        var confirmed = await Dialogs.Confirm(
            mine ? "Delete this message for everyone?" : $"Remove this message by {message.AuthorName}? Everyone will see \"removed by a moderator\".",
            mine ? "Delete message" : "Remove message",
            new ConfirmOptions { OkButtonText = mine ? "Delete" : "Remove", CancelButtonText = "Cancel" });
        if (confirmed != true)
        {
            return;
        }
        var result = await Messages.DeleteAsync(me!, message.Id, Session.IpAddress);
        if (!result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Error, result.Error ?? "");
        }
    }

    private async Task LoadOlderAsync()
    {
        if (loadingOlder || !hasOlder || current is null || messages.Count == 0)
        {
            return;
        }
        loadingOlder = true;
        try
        {
            var roomId = current.Id;
            var older = await Messages.GetBeforeAsync(me!.Id, roomId, messages[0].Sequence);
            if (current?.Id != roomId)
            {
                return;
            }
            hasOlder = older.Count >= Options.Value.HistoryPageSize;
            if (older.Count > 0 && module is not null && messageList is not null)
            {
                await module.InvokeVoidAsync("captureAnchor", messageList.Element);
                restoreAnchorPending = true;
            }
            Merge(older);
            DropNewestBeyond(Options.Value.MaxMessagesPerTab);
        }
        finally
        {
            loadingOlder = false;
        }
    }

    /// <summary>Scrolled back down in a window that ends before the newest message: the next page, dropping the oldest past the cap.</summary>
    private async Task LoadNewerAsync()
    {
        if (loadingOlder || !hasNewer || current is null || messages.Count == 0)
        {
            return;
        }
        loadingOlder = true;
        try
        {
            var roomId = current.Id;
            var pageSize = Options.Value.HistoryPageSize;
            var newer = await Messages.GetAfterAsync(me!.Id, roomId, messages[^1].Sequence, take: pageSize);
            if (current?.Id != roomId)
            {
                return;
            }
            hasNewer = newer.Count >= pageSize;
            Merge(newer);
            DropOldestBeyond(Options.Value.MaxMessagesPerTab);
        }
        finally
        {
            loadingOlder = false;
        }
    }

    private async Task JumpToLatestAsync()
    {
        unseenBelow = 0;
        scrollToBottomPending = true;
        if (hasNewer && current?.IsMember == true)
        {
            var latest = await Messages.GetLatestAsync(me!.Id, current.Id);
            messages = [.. latest];
            hasNewer = false;
            hasOlder = latest.Count >= Options.Value.HistoryPageSize;
            highlightSequence = null;
        }
        if (current is not null)
        {
            MarkRead(current.Id, messages.LastOrDefault()?.Sequence ?? 0);
        }
        await Task.CompletedTask;
    }

    [JSInvokable]
    public Task OnAtBottomChanged(bool bottom)
    {
        // The end of a window that stops short of the newest message is not the bottom of the conversation.
        atBottom = bottom && !hasNewer;
        if (atBottom && current is not null)
        {
            unseenBelow = 0;
            if (pageVisible)
            {
                MarkRead(current.Id, messages.LastOrDefault()?.Sequence ?? 0);
            }
        }
        StateHasChanged();
        return Task.CompletedTask;
    }

    [JSInvokable]
    public async Task OnNearBottom()
    {
        await LoadNewerAsync();
        StateHasChanged();
    }

    [JSInvokable]
    public async Task OnNearTop()
    {
        // Calls from script do not re-render on their own, unlike UI event handlers.
        await LoadOlderAsync();
        StateHasChanged();
    }

    [JSInvokable]
    public Task OnVisibilityChanged(bool visible)
    {
        pageVisible = visible;
        if (visible && atBottom && current?.IsMember == true)
        {
            MarkRead(current.Id, messages.LastOrDefault()?.Sequence ?? 0);
            StateHasChanged();
        }
        return Task.CompletedTask;
    }

    [JSInvokable]
    public void OnActivity() => PresenceTracker.Activity(Session.CircuitId);

    private async Task JoinAsync()
    {
        if (current is null)
        {
            return;
        }
        var result = await Rooms.JoinAsync(me!, current.Id);
        if (!result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Error, result.Error ?? "");
            return;
        }
        await LoadSidebarAsync();
        if (await Membership.GetVisibleRoomAsync(me!.Id, current.Id) is { } joined)
        {
            await OpenRoomAsync(joined);
        }
    }

    private async Task LeaveAsync()
    {
        if (current is null)
        {
            return;
        }
        var confirmed = await Dialogs.Confirm($"Leave #{current.Name}?", "Leave room",
            new ConfirmOptions { OkButtonText = "Leave", CancelButtonText = "Cancel" });
        if (confirmed != true)
        {
            return;
        }
        var result = await Rooms.LeaveAsync(me!, current.Id);
        if (!result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Error, result.Error ?? "");
            return;
        }
        Navigation.NavigateTo($"chat/{Room.GeneralRoomName}");
    }

    private async Task OpenCreateRoomAsync()
    {
        if (await Dialogs.OpenAsync<CreateRoomDialog>("Create a room", new Dictionary<string, object?> { ["Creator"] = me })
            is RoomInfo created)
        {
            Navigation.NavigateTo($"chat/{Uri.EscapeDataString(created.Name)}");
        }
    }

    private async Task OpenBrowseRoomsAsync()
    {
        if (await Dialogs.OpenAsync<BrowseRoomsDialog>("Browse rooms", new Dictionary<string, object?> { ["Viewer"] = me })
            is string name)
        {
            Navigation.NavigateTo($"chat/{Uri.EscapeDataString(name)}");
        }
    }

    /// <summary>"Start conversation" with the person a /dm/{name} link named.</summary>
    private async Task StartDirectAsync()
    {
        if (directCandidate is not { } person)
        {
            return;
        }
        var direct = await Rooms.OpenDirectAsync(me!, [person.UserId]);
        if (!direct.Succeeded)
        {
            notice = direct.Error;
            return;
        }
        await LoadSidebarAsync();
        if (await Membership.GetVisibleRoomAsync(me!.Id, direct.Value) is { } room)
        {
            directCandidate = null;
            await OpenRoomAsync(room);
        }
    }

    private async Task OpenNewDirectMessageAsync()
    {
        if (await Dialogs.OpenAsync<NewDirectMessageDialog>("New direct message", new Dictionary<string, object?> { ["Sender"] = me })
            is int roomId)
        {
            await LoadSidebarAsync();
            var entry = sidebar.FirstOrDefault(r => r.Id == roomId);
            Navigation.NavigateTo(entry?.Href(me!.Id) ?? $"dm/{roomId}");
        }
    }

    private static readonly (string Label, TimeSpan? Duration)[] MuteChoices =
    [
        ("Mute for 15 minutes", TimeSpan.FromMinutes(15)),
        ("Mute for 1 hour", TimeSpan.FromHours(1)),
        ("Mute for 1 day", TimeSpan.FromDays(1)),
        ("Unmute", null),
    ];

    private void OpenModeration((MouseEventArgs Args, RoomPerson Member) target)
    {
        var items = MuteChoices.Select(c => new ContextMenuItem { Text = c.Label, Value = c.Duration }).ToList();
        ContextMenu.Open(target.Args, items, choice => _ = InvokeAsync(async () =>
        {
            ContextMenu.Close();
            if (current is null)
            {
                return;
            }
            var duration = (TimeSpan?)choice.Value;
            var until = duration is { } d ? DateTime.UtcNow + d : (DateTime?)null;
            try
            {
                var result = await AdminRooms.MuteAsync(Actor, current.Id, target.Member.UserId, until);
                Notifications.Notify(result.Succeeded ? NotificationSeverity.Success : NotificationSeverity.Error,
                    result.Succeeded ? (until is null ? $"{target.Member.DisplayName} can post again." : $"{target.Member.DisplayName} is muted until {TimeZoneInfo.ConvertTimeFromUtc(until.Value, timeZone):HH:mm}.") : result.Error ?? "");
            }
            catch (Exception exception)
            {
                await DispatchExceptionAsync(exception);
            }
        }));
    }

    private async Task OpenInviteAsync()
    {
        if (current is null)
        {
            return;
        }
        await Dialogs.OpenAsync<InviteDialog>($"Invite people to #{current.Name}",
            new Dictionary<string, object?> { ["Inviter"] = me, ["Room"] = current, ["Members"] = members });
    }

    public async ValueTask DisposeAsync()
    {
        userSubscription?.Dispose();
        foreach (var subscription in roomSubscriptions.Values)
        {
            subscription.Dispose();
        }
        roomSubscriptions.Clear();
        typingTimer?.Dispose();
        try
        {
            if (scrollHandle is not null)
            {
                await scrollHandle.InvokeVoidAsync("dispose");
                await scrollHandle.DisposeAsync();
            }
            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab is already gone.
        }
        selfReference?.Dispose();
    }
}
