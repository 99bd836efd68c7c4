using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

[Trait("Cost", "http")]
public class AdminRoomServiceTests : IAsyncLifetime
{
    private readonly ChatAppFactory app;
    private ApplicationUser admin = null!;
    private ApplicationUser bob = null!;
    private ChatUser bobChat = null!;

    private AdminRoomService Service => app.GetRequiredService<AdminRoomService>();

    private MessageService Messages => app.GetRequiredService<MessageService>();

    public AdminRoomServiceTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AdminRoomServiceTests(DatabaseProvider provider) => app = new() { Provider = provider };

    public async Task InitializeAsync()
    {
        app.CreateClient().Dispose();
        admin = await app.CreateAsync("Ada Admin", admin: true);
        bob = await app.CreateAsync("Bob");
        bobChat = new ChatUser(bob.Id, bob.DisplayName);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<AuditEntry> LastAuditAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.AuditEntries.OrderByDescending(e => e.Id).FirstAsync();
    }

    private async Task<RoomInfo> CreateRoomAsync(string name, RoomKind kind = RoomKind.Public)
    {
        var room = (await Service.CreateAsync(admin.Actor(), name, kind, null)).Value!;
        Assert.Equal(AuditActions.RoomCreated, (await LastAuditAsync()).Action);
        return room;
    }

    [Fact]
    public async Task Lists_every_room_including_private_ones_with_counts()
    {
        var secret = await CreateRoomAsync("secret", RoomKind.Private);
        await Messages.SendAsync(new ChatUser(admin.Id, admin.DisplayName), secret.Id, "hush", Guid.NewGuid());

        var rows = (await Service.QueryAsync(admin.Actor(), new RoomQuery())).Value!.Items;

        var row = rows.Single(r => r.Name == "secret");
        Assert.Equal((RoomKind.Private, 1, 1), (row.Kind, row.Members, row.Messages));
        Assert.Contains(rows, r => r.Name == Room.GeneralRoomName);
        Assert.Equal(AdminGuard.NotAnAdmin, (await Service.QueryAsync(bob.Actor(), new RoomQuery())).Error);
    }

    [Fact]
    public async Task Rename_checks_the_name_and_updates_who_sees_what()
    {
        var room = await CreateRoomAsync("old-name");

        Assert.Equal("A room with that name already exists.", (await Service.RenameAsync(admin.Actor(), room.Id, "GENERAL")).Error);
        Assert.True((await Service.RenameAsync(admin.Actor(), room.Id, "new-name")).Succeeded);

        Assert.Equal(AuditActions.RoomRenamed, (await LastAuditAsync()).Action);
        Assert.NotNull(await app.GetRequiredService<RoomMembership>().FindVisibleRoomByNameAsync(bob.Id, "new-name"));
        Assert.Null(await app.GetRequiredService<RoomMembership>().FindVisibleRoomByNameAsync(bob.Id, "old-name"));
    }

    [Fact]
    public async Task In_a_read_only_room_only_admins_post()
    {
        Assert.True((await Service.SetReadOnlyAsync(admin.Actor(), Room.GeneralRoomId, true)).Succeeded);

        Assert.Equal("This room is read-only: only admins post here.", (await Messages.SendAsync(bobChat, Room.GeneralRoomId, "hi", Guid.NewGuid())).Error);
        Assert.True((await Messages.SendAsync(new ChatUser(admin.Id, admin.DisplayName), Room.GeneralRoomId, "announcement", Guid.NewGuid())).Succeeded);

        Assert.True((await Service.SetReadOnlyAsync(admin.Actor(), Room.GeneralRoomId, false)).Succeeded);
        Assert.True((await Messages.SendAsync(bobChat, Room.GeneralRoomId, "hi", Guid.NewGuid())).Succeeded);
    }

    [Fact]
    public async Task An_archived_room_is_hidden_from_lists_and_closed_to_posts()
    {
        var room = await CreateRoomAsync("old-project");
        await app.GetRequiredService<RoomService>().JoinAsync(bobChat, room.Id);

        Assert.True((await Service.SetArchivedAsync(admin.Actor(), room.Id, true)).Succeeded);

        Assert.DoesNotContain(await app.GetRequiredService<RoomService>().GetSidebarAsync(bob.Id), r => r.Id == room.Id);
        Assert.DoesNotContain(await app.GetRequiredService<RoomService>().BrowsePublicRoomsAsync(bob.Id), r => r.Id == room.Id);
        Assert.Equal("This room is archived: it can be read but not posted to.", (await Messages.SendAsync(bobChat, room.Id, "hello?", Guid.NewGuid())).Error);
        Assert.Equal("#general is where every new account starts; it cannot be archived.", (await Service.SetArchivedAsync(admin.Actor(), Room.GeneralRoomId, true)).Error);
    }

    [Fact]
    public async Task Deleting_a_room_needs_its_name_typed_and_removes_it_for_members()
    {
        var room = await CreateRoomAsync("doomed");
        await app.GetRequiredService<RoomService>().JoinAsync(bobChat, room.Id);
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = app.GetRequiredService<IChatNotifier>().SubscribeToUser(bobTab, bobTab.OnEventAsync);

        Assert.Equal("Type the room's name, doomed, to confirm.", (await Service.DeleteAsync(admin.Actor(), room.Id, "doom")).Error);
        Assert.True((await Service.DeleteAsync(admin.Actor(), room.Id, "doomed")).Succeeded);

        await using var db = app.CreateDbContext();
        Assert.False(await db.Rooms.AnyAsync(r => r.Id == room.Id));
        Assert.Contains(bobTab.OfType<RemovedFromRoom>(), e => e.RoomId == room.Id);
        Assert.Equal(AuditActions.RoomDeleted, (await LastAuditAsync()).Action);
        Assert.Equal("#general cannot be deleted.", (await Service.DeleteAsync(admin.Actor(), Room.GeneralRoomId, "general")).Error);
    }

    [Fact]
    public async Task Removing_a_member_of_a_private_room_stops_their_delivery_at_once()
    {
        var room = await CreateRoomAsync("inner-circle", RoomKind.Private);
        Assert.True((await Service.AddMemberAsync(admin.Actor(), room.Id, bob.Id)).Succeeded);
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = app.GetRequiredService<IChatNotifier>().SubscribeToRoom(room.Id, bobTab, bobTab.OnEventAsync);
        var adminChat = new ChatUser(admin.Id, admin.DisplayName);

        await Messages.SendAsync(adminChat, room.Id, "before", Guid.NewGuid());
        Assert.True((await Service.RemoveMemberAsync(admin.Actor(), room.Id, bob.Id)).Succeeded);
        await Messages.SendAsync(adminChat, room.Id, "after", Guid.NewGuid());

        Assert.Equal(["before"], bobTab.OfType<MessagePosted>().Select(e => e.Message.Text));
        Assert.Equal(AuditActions.MemberRemoved, (await LastAuditAsync()).Action);
    }

    [Fact]
    public async Task A_muted_member_reads_but_cannot_post_until_unmuted()
    {
        var until = DateTime.UtcNow.AddHours(1);
        Assert.True((await Service.MuteAsync(admin.Actor(), Room.GeneralRoomId, bob.Id, until)).Succeeded);
        Assert.Equal(AuditActions.UserMuted, (await LastAuditAsync()).Action);

        var refused = await Messages.SendAsync(bobChat, Room.GeneralRoomId, "let me talk", Guid.NewGuid());
        Assert.StartsWith("A moderator muted you in this room until", refused.Error);
        // Reading still works while muted.
        Assert.True(await app.GetRequiredService<RoomMembership>().CanReadAsync(bob.Id, Room.GeneralRoomId));
        // The mute is stored, not only cached: a server starting now (a fresh membership cache) enforces it too.
        var afterRestart = new RoomMembership(app.GetRequiredService<IDbContextFactory<ApplicationDbContext>>());
        Assert.NotNull(await afterRestart.MutedUntilAsync(bob.Id, Room.GeneralRoomId, DateTime.UtcNow));

        Assert.True((await Service.MuteAsync(admin.Actor(), Room.GeneralRoomId, bob.Id, null)).Succeeded);
        Assert.True((await Messages.SendAsync(bobChat, Room.GeneralRoomId, "thanks", Guid.NewGuid())).Succeeded);
        Assert.Equal("You cannot mute yourself.", (await Service.MuteAsync(admin.Actor(), Room.GeneralRoomId, admin.Id, until)).Error);
    }

    [Fact]
    public async Task An_admin_removes_anyones_message_as_a_moderator_and_others_cannot()
    {
        var posted = (await Messages.SendAsync(bobChat, Room.GeneralRoomId, "rude words", Guid.NewGuid())).Value!;
        var carol = await app.CreateAsync("Carol");

        Assert.Equal("You can only delete your own messages.", (await Messages.DeleteAsync(new ChatUser(carol.Id, "Carol"), posted.Id)).Error);
        Assert.True((await Messages.DeleteAsync(new ChatUser(admin.Id, admin.DisplayName), posted.Id, "203.0.113.9")).Succeeded);

        var shown = (await Messages.GetLatestAsync(carol.Id, Room.GeneralRoomId)).Single();
        Assert.True(shown.IsDeleted);
        Assert.True(shown.RemovedByModerator);
        var entry = await LastAuditAsync();
        Assert.Equal((AuditActions.MessageRemoved, bob.Id, "rude words"), (entry.Action, entry.TargetId, entry.Details));
    }

    [Fact]
    public async Task Deleting_a_room_deletes_its_files_from_disk()
    {
        var room = await CreateRoomAsync("files");
        var adminChat = new ChatUser(admin.Id, admin.DisplayName);
        var attachments = app.GetRequiredService<AttachmentService>();
        var file = (await attachments.SaveAsync(adminChat, room.Id, "plan.pdf", new MemoryStream("%PDF-1.7 plan"u8.ToArray()))).Value!;
        Assert.True((await Messages.SendAsync(adminChat, room.Id, "the plan", Guid.NewGuid(), new MessageService.SendOptions(null, [file.Id]))).Succeeded);
        var path = (await attachments.OpenAsync(admin.Id, file.Id))!.Value.Path;

        Assert.True((await Service.DeleteAsync(admin.Actor(), room.Id, "files")).Succeeded);

        Assert.False(File.Exists(path));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Attachments.AnyAsync());
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class AdminRoomServiceTestsOnPostgres() : AdminRoomServiceTests(DatabaseProvider.Postgres);
