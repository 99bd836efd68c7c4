using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>Notification levels and do-not-disturb on the real chat services and SQLite: what is stored, who may change it, what a tab then badges and notifies.</summary>
[Trait("Cost", "service")]
public sealed class NotificationSettingsTests : IAsyncLifetime
{
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;

    private NotificationSettings Settings => chat.Get<NotificationSettings>();

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(DatabaseProvider.Sqlite, options => options.RateLimit.Burst = 1000);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private async Task<NotificationLevel> StoredLevelAsync(string userId, int roomId)
    {
        await using var db = chat.CreateDbContext();
        return await db.RoomMembers.Where(m => m.UserId == userId && m.RoomId == roomId).Select(m => m.NotificationLevel).SingleAsync();
    }

    private async Task<ChatTab> LiveTabAsync(ChatUser reader, int openRoomId, List<ChatMessage> notified)
    {
        var tab = await chat.OpenLiveTabAsync(reader, openRoomId);
        tab.Notify += (message, _) => { lock (notified) { notified.Add(message); } };
        return tab;
    }


    private async Task SendAsync(ChatUser author, int roomId, string text) =>
        Assert.True((await chat.Messages.SendAsync(author, roomId, text, Guid.NewGuid())).Succeeded);

    [Fact]
    public async Task A_member_sets_their_own_level_and_the_sidebar_reads_it_back()
    {
        Assert.True(await Settings.SetLevelAsync(alice.Id, Room.GeneralRoomId, NotificationLevel.Nothing));

        Assert.Equal(NotificationLevel.Nothing, await StoredLevelAsync(alice.Id, Room.GeneralRoomId));
        Assert.Equal(NotificationLevel.Default, await StoredLevelAsync(bob.Id, Room.GeneralRoomId));
        var general = (await chat.Rooms.GetSidebarAsync(alice.Id)).Single(r => r.Id == Room.GeneralRoomId);
        Assert.Equal(NotificationLevel.Nothing, general.Level);
    }

    [Fact]
    public async Task Setting_a_level_for_a_room_one_cannot_read_is_refused_and_changes_nothing()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(bob, "secret", RoomKind.Private, null)).Value!;

        Assert.False(await Settings.SetLevelAsync(alice.Id, secret.Id, NotificationLevel.Nothing));
        Assert.False(await Settings.SetLevelAsync(alice.Id, 9999, NotificationLevel.Nothing));
        Assert.False(await Settings.SetLevelAsync(alice.Id, Room.GeneralRoomId, (NotificationLevel)42));

        Assert.Equal(NotificationLevel.Default, await StoredLevelAsync(bob.Id, secret.Id));
        Assert.Equal(NotificationLevel.Default, await StoredLevelAsync(alice.Id, Room.GeneralRoomId));
        await using var db = chat.CreateDbContext();
        Assert.False(await db.RoomMembers.AnyAsync(m => m.RoomId == secret.Id && m.UserId == alice.Id));
    }

    [Fact]
    public async Task Mentions_only_and_muted_rooms_badge_mentions_only_and_the_other_tabs_follow_the_change()
    {
        var design = (await chat.Rooms.CreateRoomAsync(alice, "design", RoomKind.Public, null)).Value!;
        Assert.True((await chat.Rooms.JoinAsync(bob, design.Id)).Succeeded);
        var tab = await LiveTabAsync(alice, design.Id, []);
        var otherTab = await LiveTabAsync(alice, design.Id, []);

        Assert.True(await tab.SetNotificationLevelAsync(Room.GeneralRoomId, NotificationLevel.Mentions));
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.Level == NotificationLevel.Mentions
            && otherTab.Sidebar.Find(Room.GeneralRoomId)!.Level == NotificationLevel.Mentions);

        await SendAsync(bob, Room.GeneralRoomId, "just chatting");
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.Unread == 1);
        var general = tab.Sidebar.Find(Room.GeneralRoomId)!;
        Assert.Equal(0, general.BadgeUnread);
        Assert.False(general.HasUnread);
        Assert.Equal(0, tab.Sidebar.TotalUnread);

        await SendAsync(bob, Room.GeneralRoomId, "@Alice look");
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.UnreadMentions == 1);
        Assert.True(general.HasUnread);
        Assert.Equal(1, tab.Sidebar.TotalUnread);

        Assert.True(await tab.SetNotificationLevelAsync(Room.GeneralRoomId, NotificationLevel.Nothing));
        await ChatServices.EventuallyAsync(() => general.IsMuted);
        Assert.Equal(1, general.UnreadMentions);
        Assert.Equal(0, general.BadgeUnread);

        // A fresh load (a new tab) reads the level and the same counts from the database.
        var reloaded = (await chat.Rooms.GetSidebarAsync(alice.Id)).Single(r => r.Id == Room.GeneralRoomId);
        Assert.Equal((NotificationLevel.Nothing, 2, 1), (reloaded.Level, reloaded.Unread, reloaded.UnreadMentions));
        tab.Dispose();
        otherTab.Dispose();
    }

    [Fact]
    public async Task A_hidden_tab_notifies_by_level_and_not_at_all_during_do_not_disturb()
    {
        var design = (await chat.Rooms.CreateRoomAsync(alice, "design", RoomKind.Public, null)).Value!;
        var notified = new List<ChatMessage>();
        var tab = await LiveTabAsync(alice, design.Id, notified);
        tab.PageVisible = false;
        int Count() { lock (notified) { return notified.Count; } }

        // Default in a room: mentions only.
        await SendAsync(bob, Room.GeneralRoomId, "plain one");
        await SendAsync(bob, Room.GeneralRoomId, "@Alice mention one");
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.Unread == 2);
        Assert.Equal(["@Alice mention one"], notified.Select(m => m.Text));

        Assert.True(await tab.SetNotificationLevelAsync(Room.GeneralRoomId, NotificationLevel.All));
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.Level == NotificationLevel.All);
        await SendAsync(bob, Room.GeneralRoomId, "plain two");
        await ChatServices.EventuallyAsync(() => Count() == 2);

        Assert.True(await tab.SetNotificationLevelAsync(Room.GeneralRoomId, NotificationLevel.Nothing));
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.IsMuted);
        await SendAsync(bob, Room.GeneralRoomId, "@Alice muted mention");
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.UnreadMentions == 2);
        Assert.Equal(2, Count());

        Assert.True(await tab.SetNotificationLevelAsync(Room.GeneralRoomId, NotificationLevel.All));
        await Settings.SetDoNotDisturbAsync(alice.Id, DateTime.UtcNow.AddHours(1));
        await ChatServices.EventuallyAsync(() => tab.IsDoNotDisturb && tab.Sidebar.Find(Room.GeneralRoomId)!.Level == NotificationLevel.All);
        Assert.Equal(tab.DoNotDisturbUntil, await Settings.GetDoNotDisturbAsync(alice.Id));
        await SendAsync(bob, Room.GeneralRoomId, "@Alice during dnd");
        await ChatServices.EventuallyAsync(() => tab.Sidebar.Find(Room.GeneralRoomId)!.UnreadMentions == 3);
        Assert.Equal(2, Count());

        await Settings.SetDoNotDisturbAsync(alice.Id, null);
        await ChatServices.EventuallyAsync(() => !tab.IsDoNotDisturb);
        await SendAsync(bob, Room.GeneralRoomId, "after dnd");
        await ChatServices.EventuallyAsync(() => Count() == 3);
        Assert.Null(await Settings.GetDoNotDisturbAsync(alice.Id));
        Assert.Null(await Settings.GetDoNotDisturbAsync(bob.Id));
        tab.Dispose();
    }
}
