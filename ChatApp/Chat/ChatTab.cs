using ChatApp.Data;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// Everything one chat tab knows between renders: who is reading, the sidebar, the open room, and the live events
/// that move them. The page owns one, routes to rooms through it and renders what it reports as changed; it needs
/// no rendering itself, so tests drive it directly.
/// </summary>
public sealed partial class ChatTab(
    RoomService rooms,
    MessageService messages,
    IRoomHistory history,
    RoomMembership membership,
    IChatNotifier notifier,
    PresenceTracker presence,
    NotificationSettings notifications,
    IChatRecipient recipient,
    ThreadService threads,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ChatMetrics? metrics = null) : IDisposable
{
    /// <summary>How long a missing sequence may be late (relayed from another server) before it is fetched.</summary>
    private static readonly TimeSpan GapGrace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan TypingPruneEvery = TimeSpan.FromSeconds(1);

    private readonly LiveSubscriptions live = new(notifier, recipient, time, options.Value.LiveRowsCircuitWait);
    private Func<Func<Task>, Task> invoke = work => work();
    private Action<OpenRoom.Change> changed = _ => { };
    private Func<Exception, Task> fail = _ => Task.CompletedTask;
    private int gapCheckScheduled;
    private ITimer? typingTimer;
    private readonly Guid tabId = Guid.NewGuid();
    private bool presenceRenderScheduled;

    public ChatUser Me { get; private set; } = null!;

    public SidebarState Sidebar { get; private set; } = null!;

    /// <summary>The room shown, member or not; null while none is (a /dm link to someone with no conversation yet).</summary>
    public RoomInfo? Current { get; private set; }

    /// <summary>The open room when the reader is a member of <see cref="Current"/>.</summary>
    public OpenRoom? Room { get; private set; }

    /// <summary>Why no room is shown (removed from it), for the empty state.</summary>
    public string? Notice { get; set; }

    /// <summary>Why the reader cannot post in the open room (read-only, archived, muted), or null.</summary>
    public string? PostingNotice { get; private set; }

    /// <summary>The tab is in front; otherwise nothing is read on arrival and mentions notify.</summary>
    public bool PageVisible
    {
        get;
        set
        {
            field = value;
            if (Threads is not null)
            {
                Threads.Visible = value;
                Threads.MarkRead();
            }
        }
    } = true;

    /// <summary>The thread open beside the room and the followed threads' unread counts.</summary>
    public TabThreads Threads { get; private set; } = null!;

    public bool IsLive => live.IsStarted;

    /// <summary>No browser notifications until then (UTC), from the account menu.</summary>
    public DateTime? DoNotDisturbUntil { get; private set; }

    public bool IsDoNotDisturb => NotificationRules.IsDoNotDisturb(DoNotDisturbUntil, time.GetUtcNow().UtcDateTime);

    /// <summary>A message that should raise a browser notification (NotificationRules: level, followed threads, do-not-disturb, the tab hidden).</summary>
    public event Action<ChatMessage, RoomListEntry?>? Notify;

    /// <summary>The open room was renamed: the address should follow.</summary>
    public event Action<RoomInfo>? Renamed;

    public async Task<bool> SignInAsync(string? userId)
    {
        if (userId is null || await rooms.GetChatUserAsync(userId) is not { } user)
        {
            return false;
        }
        Me = user;
        Sidebar = new SidebarState(user.Id, presence.GetStatus, time);
        Threads = new TabThreads(threads, user.Id, work => invoke(work)) { Visible = PageVisible };
        DoNotDisturbUntil = await notifications.GetDoNotDisturbAsync(user.Id);
        await LoadSidebarAsync();
        await Threads.LoadAsync();
        return true;
    }

    /// <summary>
    /// Subscribes to this user's and the sidebar's rooms, then catches the open room up from the database: nothing
    /// sent in between is missed. <paramref name="invoke"/> runs work on the tab's dispatcher; <paramref name="render"/>
    /// is told what an event changed.
    /// </summary>
    public async Task GoLiveAsync(Func<Func<Task>, Task> invoke, Action<OpenRoom.Change> render, Func<Exception, Task> fail)
    {
        (this.invoke, changed, this.fail) = (invoke, render, fail);
        live.Start(OnUserEventAsync, work => invoke(() => { work(); return Task.CompletedTask; }), ApplyRoomEvents, Sidebar.RoomIds, CanWait);
        await CatchUpAsync();
        if (Room is not null)
        {
            await rooms.RecordOpenedAsync(Me.Id, Room.Id);
            MarkRead(Room.Id, Room.Timeline.LastSequence);
        }
    }

    public void Close()
    {
        (Current, Room) = (null, null);
        RowFeed?.Show(0);
    }

    public async Task OpenAsync(RoomInfo target)
    {
        (Current, Room) = (target, null);
        RowFeed?.Show(0);
        Threads.CloseUnless(target.Id);
        Notice = null;
        PostingNotice = null;
        typingTimer?.Dispose();
        typingTimer = null;
        if (!target.IsMember)
        {
            return;
        }
        var opened = new OpenRoom(target, new RoomTimeline(history, Me.Id, target.Id, options.Value), Me.Id, new TypingState(time), options.Value.TypingTimeout);
        await opened.Timeline.LoadLatestAsync();
        opened.SetMembers(await rooms.GetMembersAsync(Me.Id, target.Id));
        Room = opened;
        RowFeed?.Show(RowFeedRoomId);
        PostingNotice = await messages.CheckPostingAsync(Me.Id, target.Id);
        if (IsLive)
        {
            await rooms.RecordOpenedAsync(Me.Id, target.Id);
            MarkRead(target.Id, opened.Timeline.LastSequence);
        }
    }

    /// <summary>Opens the room again as it is now (joined, or changed by an admin).</summary>
    public async Task ReopenAsync()
    {
        if (Current is not null && await membership.GetVisibleRoomAsync(Me.Id, Current.Id) is { } now)
        {
            await OpenAsync(now);
        }
    }

    public async Task LoadSidebarAsync()
    {
        Sidebar.Load(await rooms.GetSidebarAsync(Me.Id));
        live.SyncRooms(Sidebar.RoomIds);
    }

    /// <summary>Fills anything the open room missed (a new circuit, a reconnect, a backplane outage); true when something came.</summary>
    public async Task<bool> CatchUpAsync() => (Room is not null && await Room.Timeline.CatchUpAsync()) | await Threads.CatchUpAsync();

    /// <summary>The reader scrolled to (or away from) the newest message.</summary>
    public void ReaderAtBottom(bool bottom)
    {
        if (Room is null)
        {
            return;
        }
        Room.SetAtBottom(bottom);
        if (Room.AtBottom && PageVisible)
        {
            MarkRead(Room.Id, Room.Timeline.LastSequence);
        }
    }

    /// <summary>The reader sent a message: it shows at once, before its own event arrives.</summary>
    public void Sent(ChatMessage message)
    {
        ShowCarriedRows();
        Room?.Timeline.Merge([message]);
        Room?.UnseenBelow = 0;
    }

    /// <summary>The reader chose what a room may badge and notify; every tab of theirs, this one too, hears it as an event. False when refused.</summary>
    public Task<bool> SetNotificationLevelAsync(int roomId, NotificationLevel level) => notifications.SetLevelAsync(Me.Id, roomId, level);

    /// <summary>A batch of room events, in order, on the tab's dispatcher: one render for all of them.</summary>
    private void ApplyRoomEvents(IReadOnlyList<RoomEvent> batch)
    {
        var change = OpenRoom.Change.None;
        foreach (var roomEvent in batch)
        {
            try
            {
                change |= Apply(roomEvent);
            }
            catch (Exception exception)
            {
                _ = fail(exception);
            }
        }
        if (change.HasFlag(OpenRoom.Change.Gap))
        {
            ScheduleGapCheck();
        }
        changed(Rendered(change));
    }

    /// <summary>Applies one room event to the open room and the sidebar; returns what changed.</summary>
    public OpenRoom.Change Apply(RoomEvent roomEvent)
    {
        TakeOverChangedRow(roomEvent);
        var change = Room?.Apply(roomEvent) ?? OpenRoom.Change.None;
        if (Threads.Apply(roomEvent))
        {
            change |= OpenRoom.Change.Page;
        }
        switch (roomEvent)
        {
            case MessagePosted { Message: var message }:
                change = WithoutCarriedRow(change, message, out var carried);
                if (!carried)
                {
                    metrics?.MessageRendered(message.CreatedAt); // A carried row was counted when its feed took it.
                }
                var entry = Sidebar.Find(message.RoomId);
                var fromOthers = message.AuthorId != Me.Id;
                var followedThread = message.ThreadRootId is { } rootId && Threads.Followed.IsFollowing(rootId);
                if (NotificationRules.ShouldNotify(message, Me.Id, entry?.Level ?? NotificationLevel.Default, entry?.IsDirect == true,
                    DoNotDisturbUntil, time.GetUtcNow().UtcDateTime, PageVisible, followedThread))
                {
                    Notify?.Invoke(message, entry);
                }
                if (fromOthers && Room?.Id == message.RoomId && PageVisible && Room.AtBottom)
                {
                    MarkRead(message.RoomId, message.Sequence);
                }
                else if (Sidebar.CountArrived(message))
                {
                    change |= OpenRoom.Change.Page;
                }
                return change;
            case MessageDeleted deleted:
                if (Sidebar.CountDeleted(deleted))
                {
                    _ = invoke(async () =>
                    {
                        var mentions = await messages.CountUnreadMentionsAsync(Me.Id, deleted.RoomId);
                        Sidebar.SetCounts(deleted.RoomId, Sidebar.Find(deleted.RoomId)?.Unread ?? 0, mentions);
                        changed(OpenRoom.Change.Page);
                    });
                }
                return change | OpenRoom.Change.Page;
            case UserTyping when change.HasFlag(OpenRoom.Change.Typing):
                typingTimer ??= time.CreateTimer(_ => invoke(PruneTypingAsync), null, TypingPruneEvery, TypingPruneEvery);
                return change;
            case PresenceChanged presenceChanged:
                Sidebar.SetPresence(presenceChanged.UserId, presenceChanged.Status);
                return PresenceRender(presenceChanged.RoomId);
            case StatusChanged statusChanged:
                Sidebar.SetStatus(statusChanged.UserId, statusChanged.Status);
                return OpenRoom.Change.Page;
            case RoomChanged:
                _ = invoke(() => RefreshRoomAsync(roomEvent.RoomId));
                return change;
            default:
                return change;
        }
    }

    /// <summary>The open room has more than <see cref="ChatOptions.BigRoomMembers"/> members: no typing shown, presence batched.</summary>
    private bool OpenRoomIsBig => Room is { } room && room.Members.Count > options.Value.BigRoomMembers;

    /// <summary>
    /// What a presence change in a room shows: the open room's online count and member list (in a big room, refreshed
    /// once per <see cref="ChatOptions.BigRoomPresenceEvery"/>: a thousand people coming and going would otherwise
    /// render every reader's page a thousand times), a direct message's dot in the sidebar, or nothing.
    /// </summary>
    private OpenRoom.Change PresenceRender(int roomId)
    {
        if (Room?.Id == roomId && OpenRoomIsBig)
        {
            if (!presenceRenderScheduled)
            {
                presenceRenderScheduled = true;
                _ = Task.Delay(options.Value.BigRoomPresenceEvery, time).ContinueWith(_ => invoke(() =>
                {
                    presenceRenderScheduled = false;
                    changed(OpenRoom.Change.Page);
                    return Task.CompletedTask;
                }), TaskScheduler.Default);
            }
            return OpenRoom.Change.None;
        }
        return Room?.Id == roomId || Sidebar.Find(roomId)?.IsDirect == true ? OpenRoom.Change.Page : OpenRoom.Change.None;
    }

    private Task PruneTypingAsync()
    {
        var expired = Room?.Typing.Prune() ?? false;
        if (Room?.Typing.IsEmpty != false)
        {
            typingTimer?.Dispose();
            typingTimer = null;
        }
        if (expired)
        {
            changed(Rendered(OpenRoom.Change.Typing));
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A message arrived with a sequence past the next one: the ones between were delayed (another server's, still on
    /// their way) or lost (the backplane was down). After a short grace, whatever is still missing is read.
    /// </summary>
    private void ScheduleGapCheck()
    {
        if (Interlocked.Exchange(ref gapCheckScheduled, 1) == 1)
        {
            return;
        }
        _ = Task.Delay(GapGrace, time).ContinueWith(_ => invoke(async () =>
        {
            Volatile.Write(ref gapCheckScheduled, 0);
            try
            {
                if (Room is not null && await Room.Timeline.FillGapAsync())
                {
                    changed(OpenRoom.Change.Messages);
                }
            }
            catch (Exception exception)
            {
                await fail(exception);
            }
        }), TaskScheduler.Default);
    }

    public void Dispose()
    {
        live.Dispose();
        typingTimer?.Dispose();
        // A tab closed within the interval still saves what its reader saw (the writer outlives the circuit).
        _ = FlushReadsAsync().ContinueWith(static failed => failed.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }
}
