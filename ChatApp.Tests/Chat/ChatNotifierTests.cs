using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public class ChatNotifierTests : IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private ChatServices chat = null!;

    public ChatNotifierTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected ChatNotifierTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync() => chat = await ChatServices.StartAsync(provider);

    public async Task DisposeAsync() => await chat.DisposeAsync();

    [Fact]
    public async Task Room_events_reach_members_only_and_stop_the_moment_someone_is_removed()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        var carol = await chat.CreateUserAsync("Carol");
        var room = (await chat.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, room.Id, bob.Id);
        var bobTab = new RecordingRecipient(bob.Id);
        var carolTab = new RecordingRecipient(carol.Id);
        using var bobSubscription = chat.Notifier.SubscribeToRoom(room.Id, bobTab, bobTab.OnEventAsync);
        // Carol subscribes with a room id she was never offered: she must get nothing.
        using var carolSubscription = chat.Notifier.SubscribeToRoom(room.Id, carolTab, carolTab.OnEventAsync);

        await chat.Messages.SendAsync(alice, room.Id, "for the team", Guid.NewGuid());
        await chat.Messages.NotifyTypingAsync(alice, room.Id);
        await chat.Rooms.RemoveMemberAsync(room.Id, bob.Id);
        await chat.Messages.SendAsync(alice, room.Id, "after bob left", Guid.NewGuid());

        Assert.Equal(["for the team"], bobTab.OfType<MessagePosted>().Select(e => e.Message.Text));
        Assert.Single(bobTab.OfType<UserTyping>());
        Assert.Empty(carolTab.Received);
    }

    [Fact]
    public async Task Typing_reaches_nobody_in_a_room_bigger_than_the_limit()
    {
        chat.Options.BigRoomMembers = 2;
        var alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        var carol = await chat.CreateUserAsync("Carol");
        var room = (await chat.Rooms.CreateRoomAsync(alice, "team", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, room.Id, bob.Id);
        await chat.Rooms.InviteAsync(alice, room.Id, carol.Id);
        var bobTab = new RecordingRecipient(bob.Id);
        using var subscription = chat.Notifier.SubscribeToRoom(room.Id, bobTab, bobTab.OnEventAsync);

        await chat.Messages.NotifyTypingAsync(alice, room.Id);
        Assert.Empty(bobTab.OfType<UserTyping>());

        await chat.Rooms.RemoveMemberAsync(room.Id, carol.Id);
        await chat.Messages.NotifyTypingAsync(alice, room.Id);
        Assert.Single(bobTab.OfType<UserTyping>());
    }

    [Fact]
    public async Task A_revoked_circuit_receives_nothing_and_an_unsubscribed_one_neither()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var bob = await chat.CreateUserAsync("Bob");
        var revoked = new RecordingRecipient(bob.Id) { IsActive = false };
        var closed = new RecordingRecipient(bob.Id);
        using (chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, revoked, revoked.OnEventAsync))
        {
            chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, closed, closed.OnEventAsync).Dispose();
            await chat.Messages.SendAsync(alice, Room.GeneralRoomId, "hello", Guid.NewGuid());
        }

        Assert.Empty(revoked.Received);
        Assert.Empty(closed.Received);
    }

    [Fact]
    public async Task Presence_is_published_only_to_rooms_the_user_is_in()
    {
        var alice = await chat.CreateUserAsync("Alice");
        var carol = await chat.CreateUserAsync("Carol");
        // Carol reads #general with Alice and a room of her own that Alice is not in: a leak would reach her there.
        var carolsRoom = (await chat.Rooms.CreateRoomAsync(carol, "carols", RoomKind.Private, null)).Value!;
        var inGeneral = new RecordingRecipient(carol.Id);
        var inHerRoom = new RecordingRecipient(carol.Id);
        using var general = chat.Notifier.SubscribeToRoom(Room.GeneralRoomId, inGeneral, inGeneral.OnEventAsync);
        using var hers = chat.Notifier.SubscribeToRoom(carolsRoom.Id, inHerRoom, inHerRoom.OnEventAsync);

        chat.Presence.CircuitOpened("alice-tab", alice.Id);
        await WaitUntilAsync(() => inGeneral.OfType<PresenceChanged>().Any(p => p.UserId == alice.Id && p.Status == PresenceStatus.Online));

        Assert.DoesNotContain(inHerRoom.OfType<PresenceChanged>(), p => p.UserId == alice.Id);
        Assert.All(inGeneral.OfType<PresenceChanged>(), p => Assert.Equal(Room.GeneralRoomId, p.RoomId));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "service")]
public sealed class ChatNotifierTestsOnPostgres() : ChatNotifierTests(DatabaseProvider.Postgres);
