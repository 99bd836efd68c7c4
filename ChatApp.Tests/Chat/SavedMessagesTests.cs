using ChatApp.Admin;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

/// <summary>Saved messages on a real database (SQLite; PostgreSQL below): private per person, across rooms, and only what the reader can read now.</summary>
[Trait("Cost", "http")]
public class SavedMessagesTests : IAsyncLifetime
{
    private readonly ChatAppFactory app;
    private ApplicationUser admin = null!;
    private ChatUser bob = null!;
    private ChatUser carol = null!;

    public SavedMessagesTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected SavedMessagesTests(DatabaseProvider provider) =>
        app = new() { Provider = provider, Settings = { ["Chat:RateLimit:Burst"] = "1000", ["Chat:MaxSavedMessages"] = "3" } };

    private SavedMessages Saved => app.GetRequiredService<SavedMessages>();

    private MessageService Messages => app.GetRequiredService<MessageService>();

    private AdminRoomService AdminRooms => app.GetRequiredService<AdminRoomService>();

    public async Task InitializeAsync()
    {
        app.CreateClient().Dispose();
        admin = await app.CreateAsync("Ada Admin", admin: true);
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
    public async Task Readers_loading_the_same_page_share_one_copy_of_each_message_but_never_another_readers_saved_mark()
    {
        var room = await PrivateRoomWithBobAsync("shared-copies");
        Assert.True((await AdminRooms.AddMemberAsync(admin.Actor(), room.Id, carol.Id)).Succeeded);
        var plain = await SendAsync(bob, room.Id, "one");
        var kept = await SendAsync(bob, room.Id, "two");
        var edited = await SendAsync(bob, room.Id, "three");
        Assert.True((await Saved.SaveAsync(bob, kept.Id)).Succeeded);
        var history = app.GetRequiredService<MarkedHistory>();

        var bobs = await history.GetLatestAsync(bob.Id, room.Id);
        var carols = await history.GetLatestAsync(carol.Id, room.Id);
        var carolsAgain = await history.GetLatestAsync(carol.Id, room.Id);

        // Every tab's page is read from the database as new objects; the tabs keep one copy per message version.
        Assert.Same(bobs[0], carols[0]);
        Assert.Same(carols[0], carolsAgain[0]);
        Assert.Same(carols[1], carolsAgain[1]);
        // Bob saved "two": his copy says so, and Carol's does not.
        Assert.NotSame(bobs[1], carols[1]);
        Assert.True(bobs[1].IsSaved);
        Assert.False(carols[1].IsSaved);

        // An edit is a new version: the next page carries it, and what a tab already holds is left as it was.
        Assert.True((await Messages.EditAsync(bob, edited.Id, "three, edited")).Succeeded);
        var afterEdit = await history.GetLatestAsync(carol.Id, room.Id);
        Assert.Equal("three, edited", afterEdit[2].Text);
        Assert.Equal("three", carols[2].Text);
        Assert.Same(afterEdit[0], carols[0]);
        Assert.Equal([plain.Id, kept.Id, edited.Id], afterEdit.Select(m => m.Id));
    }

    [Fact]
    public async Task Saved_messages_are_listed_across_rooms_newest_saved_first_and_only_to_their_owner()
    {
        var room = await PrivateRoomWithBobAsync("design");
        var inGeneral = await SendAsync(carol, Room.GeneralRoomId, "lunch at noon");
        var inDesign = await SendAsync(new ChatUser(admin.Id, admin.DisplayName), room.Id, "mockups v2");

        Assert.True((await Saved.SaveAsync(bob, inDesign.Id)).Succeeded);
        Assert.True((await Saved.SaveAsync(bob, inGeneral.Id)).Succeeded);
        Assert.True((await Saved.SaveAsync(bob, inGeneral.Id)).Succeeded);

        var list = await Saved.GetSavedAsync(bob.Id);
        Assert.Equal([("lunch at noon", "general"), ("mockups v2", "design")], list.Select(s => (s.Message.Text, s.RoomName)));
        Assert.All(list, s => Assert.True(s.Message.IsSaved));
        Assert.Equal(2, await Saved.CountSavedAsync(bob.Id));
        Assert.Empty(await Saved.GetSavedAsync(carol.Id));
        Assert.Equal(0, await Saved.CountSavedAsync(carol.Id));
    }

    [Fact]
    public async Task Unsaving_removes_it_from_the_list_and_the_owners_tabs_hear_it()
    {
        var message = await SendAsync(carol, Room.GeneralRoomId, "read later");
        var bobTab = new RecordingRecipient(bob.Id);
        var carolTab = new RecordingRecipient(carol.Id);
        var notifier = app.GetRequiredService<IChatNotifier>();
        using var bobSubscription = notifier.SubscribeToUser(bobTab, bobTab.OnEventAsync);
        using var carolSubscription = notifier.SubscribeToUser(carolTab, carolTab.OnEventAsync);

        Assert.True((await Saved.SaveAsync(bob, message.Id)).Succeeded);
        Assert.True((await Saved.UnsaveAsync(bob, message.Id)).Succeeded);

        Assert.Empty(await Saved.GetSavedAsync(bob.Id));
        Assert.Equal([true, false], bobTab.OfType<SavedChanged>().Select(e => e.Saved));
        Assert.Empty(carolTab.OfType<SavedChanged>());
    }

    [Fact]
    public async Task Saving_a_message_of_a_room_you_are_not_in_answers_like_a_message_that_does_not_exist()
    {
        var room = await PrivateRoomWithBobAsync("secret");
        var secret = await SendAsync(bob, room.Id, "the secret");

        Assert.Equal(ChatResult.MessageNotFound, (await Saved.SaveAsync(carol, secret.Id)).Error);
        Assert.Equal(ChatResult.MessageNotFound, (await Saved.SaveAsync(carol, long.MaxValue)).Error);
        Assert.Equal(ChatResult.MessageNotFound, (await Saved.UnsaveAsync(carol, secret.Id)).Error);
        Assert.Empty(await Saved.GetSavedAsync(carol.Id));
        await using var db = app.CreateDbContext();
        Assert.Empty(db.SavedMessages.Where(s => s.UserId == carol.Id));
    }

    [Fact]
    public async Task Saved_messages_vanish_when_the_reader_is_removed_from_the_room_and_return_if_added_back()
    {
        var room = await PrivateRoomWithBobAsync("inner");
        var message = await SendAsync(bob, room.Id, "plan");
        Assert.True((await Saved.SaveAsync(bob, message.Id)).Succeeded);

        Assert.True((await AdminRooms.RemoveMemberAsync(admin.Actor(), room.Id, bob.Id)).Succeeded);
        Assert.Empty(await Saved.GetSavedAsync(bob.Id));
        Assert.Equal(0, await Saved.CountSavedAsync(bob.Id));
        Assert.Equal(ChatResult.MessageNotFound, (await Saved.UnsaveAsync(bob, message.Id)).Error);

        Assert.True((await AdminRooms.AddMemberAsync(admin.Actor(), room.Id, bob.Id)).Succeeded);
        Assert.Single(await Saved.GetSavedAsync(bob.Id));
    }

    [Fact]
    public async Task Saved_messages_vanish_when_deleted_or_when_their_room_is_deleted()
    {
        var room = (await AdminRooms.CreateAsync(admin.Actor(), "project", RoomKind.Public, null)).Value!;
        Assert.True((await app.GetRequiredService<RoomService>().JoinAsync(bob, room.Id)).Succeeded);
        var inProject = await SendAsync(bob, room.Id, "decision");
        var deleted = await SendAsync(carol, Room.GeneralRoomId, "typo");
        Assert.True((await Saved.SaveAsync(bob, inProject.Id)).Succeeded);
        Assert.True((await Saved.SaveAsync(bob, deleted.Id)).Succeeded);

        Assert.True((await Messages.DeleteAsync(carol, deleted.Id)).Succeeded);
        Assert.Equal(["decision"], (await Saved.GetSavedAsync(bob.Id)).Select(s => s.Message.Text));

        Assert.True((await AdminRooms.SetArchivedAsync(admin.Actor(), room.Id, true)).Succeeded);
        Assert.Single(await Saved.GetSavedAsync(bob.Id));
        Assert.True((await AdminRooms.DeleteAsync(admin.Actor(), room.Id, "project")).Succeeded);
        Assert.Empty(await Saved.GetSavedAsync(bob.Id));
        Assert.Equal(0, await Saved.CountSavedAsync(bob.Id));
    }

    [Fact]
    public async Task A_person_holds_at_most_the_configured_number_of_saved_messages()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Saved.SaveAsync(bob, (await SendAsync(carol, Room.GeneralRoomId, $"tip {i}")).Id)).Succeeded);
        }
        var oneMore = await SendAsync(carol, Room.GeneralRoomId, "one more");

        Assert.Equal("You already have 3 saved messages, the most you may have: remove some first.", (await Saved.SaveAsync(bob, oneMore.Id)).Error);
        Assert.Equal(3, await Saved.CountSavedAsync(bob.Id));
    }
}

[Trait("Cost", "http")]
public sealed class SavedMessagesTestsOnPostgres() : SavedMessagesTests(DatabaseProvider.Postgres);
