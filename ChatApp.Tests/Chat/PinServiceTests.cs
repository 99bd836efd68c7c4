using ChatApp.Admin;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>Pins on a real database (SQLite; PostgreSQL below) through the app's services: who may pin, live delivery, audit, and access at read time.</summary>
[Trait("Cost", "http")]
public class PinServiceTests : IAsyncLifetime
{
    private const int MaxPinned = 3;

    private readonly ChatAppFactory app;

    private ApplicationUser admin = null!;
    private ChatUser moderator = null!;
    private ChatUser bob = null!;
    private ChatUser carol = null!;

    public PinServiceTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected PinServiceTests(DatabaseProvider provider) => app = new()
    {
        Provider = provider,
        Settings = { ["Chat:MaxPinnedPerRoom"] = MaxPinned.ToString(), ["Chat:RateLimit:Burst"] = "1000" },
    };

    private PinService Pins => app.GetRequiredService<PinService>();

    private MessageService Messages => app.GetRequiredService<MessageService>();

    private AdminRoomService AdminRooms => app.GetRequiredService<AdminRoomService>();

    public async Task InitializeAsync()
    {
        app.CreateClient().Dispose();
        admin = await app.CreateAsync("Ada Admin", admin: true);
        moderator = new ChatUser(admin.Id, admin.DisplayName);
        bob = await ChatUserAsync("Bob");
        carol = await ChatUserAsync("Carol");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ChatUser> ChatUserAsync(string name)
    {
        var user = await app.CreateAsync(name);
        return new ChatUser(user.Id, user.DisplayName);
    }

    private async Task<ChatMessage> SendAsync(ChatUser author, int roomId, string text)
    {
        var sent = await Messages.SendAsync(author, roomId, text, Guid.NewGuid());
        Assert.True(sent.Succeeded, sent.Error);
        return sent.Value!;
    }

    private async Task<RoomInfo> PrivateRoomWithBobAsync(string name)
    {
        var room = (await AdminRooms.CreateAsync(admin.Actor(), name, RoomKind.Private, null)).Value!;
        Assert.True((await AdminRooms.AddMemberAsync(admin.Actor(), room.Id, bob.Id)).Succeeded);
        return room;
    }

    [Fact]
    public async Task A_member_pins_and_unpins_and_everyone_in_the_room_hears_it_live()
    {
        var message = await SendAsync(carol, Room.GeneralRoomId, "release notes");
        var carolTab = new RecordingRecipient(carol.Id);
        using var subscription = app.GetRequiredService<IChatNotifier>().SubscribeToRoom(Room.GeneralRoomId, carolTab, carolTab.OnEventAsync);

        Assert.True((await Pins.PinAsync(bob, message.Id)).Succeeded);
        var pinned = Assert.Single(await Pins.GetPinnedAsync(carol.Id, Room.GeneralRoomId));
        Assert.Equal(("release notes", "Bob", true), (pinned.Message.Text, pinned.PinnedByName, pinned.Message.IsPinned));
        Assert.True((await Pins.UnpinAsync(carol, message.Id)).Succeeded);

        Assert.Empty(await Pins.GetPinnedAsync(bob.Id, Room.GeneralRoomId));
        Assert.Equal([true, false], carolTab.OfType<PinChanged>().Where(e => e.MessageId == message.Id).Select(e => e.Pinned));
        await using var db = app.CreateDbContext();
        Assert.Equal([AuditActions.MessagePinned, AuditActions.MessageUnpinned],
            await db.AuditEntries.Where(e => e.Action.Contains("pin-message")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task Pinning_twice_keeps_one_pin_and_the_list_is_newest_pin_first()
    {
        var first = await SendAsync(carol, Room.GeneralRoomId, "first");
        var second = await SendAsync(carol, Room.GeneralRoomId, "second");

        Assert.True((await Pins.PinAsync(bob, second.Id)).Succeeded);
        Assert.True((await Pins.PinAsync(bob, first.Id)).Succeeded);
        Assert.True((await Pins.PinAsync(carol, first.Id)).Succeeded);

        Assert.Equal(["first", "second"], (await Pins.GetPinnedAsync(bob.Id, Room.GeneralRoomId)).Select(p => p.Message.Text));
    }

    [Fact]
    public async Task In_a_moderators_only_room_members_are_refused_and_moderators_pin()
    {
        var message = await SendAsync(carol, Room.GeneralRoomId, "policy");
        Assert.False((await Pins.SetOnlyModeratorsPinAsync(bob, Room.GeneralRoomId, true)).Succeeded);
        Assert.True((await Pins.SetOnlyModeratorsPinAsync(moderator, Room.GeneralRoomId, true)).Succeeded);
        Assert.True(await Pins.OnlyModeratorsPinAsync(bob.Id, Room.GeneralRoomId));

        Assert.Equal(PinService.ModeratorsOnly, (await Pins.PinAsync(bob, message.Id)).Error);
        Assert.Empty(await Pins.GetPinnedAsync(bob.Id, Room.GeneralRoomId));
        Assert.True((await Pins.PinAsync(moderator, message.Id)).Succeeded);
        Assert.Equal(PinService.ModeratorsOnly, (await Pins.UnpinAsync(bob, message.Id)).Error);
        Assert.Single(await Pins.GetPinnedAsync(bob.Id, Room.GeneralRoomId));

        Assert.True((await Pins.SetOnlyModeratorsPinAsync(moderator, Room.GeneralRoomId, false)).Succeeded);
        Assert.True((await Pins.UnpinAsync(bob, message.Id)).Succeeded);
        await using var db = app.CreateDbContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.PinSetting));
    }

    [Fact]
    public async Task Pinning_a_message_of_a_room_you_are_not_in_answers_like_a_message_that_does_not_exist()
    {
        var room = await PrivateRoomWithBobAsync("secret");
        var secret = await SendAsync(bob, room.Id, "the secret");
        // Subscribed to the room's events as if she could read it: delivery checks membership per recipient.
        var carolTab = new RecordingRecipient(carol.Id);
        using var subscription = app.GetRequiredService<IChatNotifier>().SubscribeToRoom(room.Id, carolTab, carolTab.OnEventAsync);
        Assert.True((await Pins.PinAsync(bob, secret.Id)).Succeeded);

        Assert.Equal(ChatResult.MessageNotFound, (await Pins.PinAsync(carol, secret.Id)).Error);
        Assert.Equal(ChatResult.MessageNotFound, (await Pins.UnpinAsync(carol, secret.Id)).Error);
        Assert.Equal(ChatResult.MessageNotFound, (await Pins.PinAsync(carol, long.MaxValue)).Error);
        Assert.Empty(await Pins.GetPinnedAsync(carol.Id, room.Id));
        Assert.Null(await Pins.OnlyModeratorsPinAsync(carol.Id, room.Id));
        Assert.Single(await Pins.GetPinnedAsync(bob.Id, room.Id));
        Assert.Empty(carolTab.Received);
    }

    [Fact]
    public async Task Pins_vanish_for_a_member_removed_from_a_private_room()
    {
        var room = await PrivateRoomWithBobAsync("inner");
        var message = await SendAsync(bob, room.Id, "plan");
        Assert.True((await Pins.PinAsync(bob, message.Id)).Succeeded);

        Assert.True((await AdminRooms.RemoveMemberAsync(admin.Actor(), room.Id, bob.Id)).Succeeded);

        Assert.Empty(await Pins.GetPinnedAsync(bob.Id, room.Id));
        Assert.Equal(ChatResult.MessageNotFound, (await Pins.UnpinAsync(bob, message.Id)).Error);
        Assert.Single(await Pins.GetPinnedAsync(admin.Id, room.Id));
    }

    [Fact]
    public async Task A_deleted_message_drops_its_pin_and_cannot_be_pinned()
    {
        var message = await SendAsync(bob, Room.GeneralRoomId, "oops");
        Assert.True((await Pins.PinAsync(carol, message.Id)).Succeeded);

        Assert.True((await Messages.DeleteAsync(bob, message.Id)).Succeeded);

        Assert.Empty(await Pins.GetPinnedAsync(carol.Id, Room.GeneralRoomId));
        Assert.Equal(ChatResult.MessageNotFound, (await Pins.PinAsync(carol, message.Id)).Error);
    }

    [Fact]
    public async Task Deleting_the_room_deletes_its_pins_and_an_archived_room_keeps_them_readable_but_fixed()
    {
        var room = (await AdminRooms.CreateAsync(admin.Actor(), "project", RoomKind.Public, null)).Value!;
        Assert.True((await app.GetRequiredService<RoomService>().JoinAsync(bob, room.Id)).Succeeded);
        var kept = await SendAsync(bob, room.Id, "decision");
        var later = await SendAsync(bob, room.Id, "later");
        Assert.True((await Pins.PinAsync(bob, kept.Id)).Succeeded);

        Assert.True((await AdminRooms.SetArchivedAsync(admin.Actor(), room.Id, true)).Succeeded);
        Assert.Single(await Pins.GetPinnedAsync(bob.Id, room.Id));
        Assert.Equal("This room is archived: it can be read but not posted to.", (await Pins.PinAsync(bob, later.Id)).Error);

        Assert.True((await AdminRooms.DeleteAsync(admin.Actor(), room.Id, "project")).Succeeded);
        Assert.Empty(await Pins.GetPinnedAsync(bob.Id, room.Id));
        await using var db = app.CreateDbContext();
        Assert.False(await db.PinnedMessages.AnyAsync(p => p.RoomId == room.Id));
    }

    [Fact]
    public async Task A_room_holds_at_most_the_configured_number_of_pins()
    {
        for (var i = 0; i < MaxPinned; i++)
        {
            Assert.True((await Pins.PinAsync(bob, (await SendAsync(carol, Room.GeneralRoomId, $"note {i}")).Id)).Succeeded);
        }
        var oneMore = await SendAsync(carol, Room.GeneralRoomId, "one more");

        Assert.Equal($"This room already has {MaxPinned} pinned messages, the most it may have: unpin one first.", (await Pins.PinAsync(bob, oneMore.Id)).Error);
        Assert.Equal(MaxPinned, (await Pins.GetPinnedAsync(bob.Id, Room.GeneralRoomId)).Count);
    }
}

[Trait("Cost", "http")]
public sealed class PinServiceTestsOnPostgres() : PinServiceTests(DatabaseProvider.Postgres);
