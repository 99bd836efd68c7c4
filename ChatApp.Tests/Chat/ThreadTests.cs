using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>Threads on a real database: replies, summaries, following, unread counts, and who may see what.</summary>
[Trait("Cost", "service")]
public class ThreadTests : IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private ChatServices chat = null!;
    private ChatUser alice = null!;
    private ChatUser bob = null!;
    private ChatUser carol = null!;

    public ThreadTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected ThreadTests(DatabaseProvider provider) => this.provider = provider;

    public async Task InitializeAsync()
    {
        chat = await ChatServices.StartAsync(provider, options => options.RateLimit.Burst = 1000);
        alice = await chat.CreateUserAsync("Alice");
        bob = await chat.CreateUserAsync("Bob");
        carol = await chat.CreateUserAsync("Carol");
    }

    public async Task DisposeAsync() => await chat.DisposeAsync();

    private ThreadService Threads => chat.Get<ThreadService>();

    private async Task<ChatMessage> SendAsync(ChatUser author, string text, int roomId = Room.GeneralRoomId, long? thread = null, bool alsoInRoom = false)
    {
        var result = await chat.Messages.SendAsync(author, roomId, text, Guid.NewGuid(), new MessageService.SendOptions(ThreadRootId: thread, AlsoInRoom: alsoInRoom));
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }

    private async Task<int> UnreadInAsync(ChatUser user, long rootId) =>
        (await Threads.GetFollowStateAsync(user.Id)).SingleOrDefault(s => s.RootId == rootId).Unread;

    [Fact]
    public async Task Replies_live_in_their_thread_and_the_root_summarizes_them()
    {
        var root = await SendAsync(alice, "release today");
        await SendAsync(bob, "which build?", thread: root.Id);
        await SendAsync(carol, "the green one", thread: root.Id);
        var echoed = await SendAsync(bob, "thanks", thread: root.Id, alsoInRoom: true);

        var view = await Threads.GetThreadAsync(alice.Id, root.Id);
        Assert.NotNull(view);
        Assert.Equal(["which build?", "the green one", "thanks"], view.Replies.Select(r => r.Text));
        Assert.Equal(3, view.Root.Thread!.ReplyCount);
        Assert.Equal(["Bob", "Carol"], view.Root.Thread.Participants);

        // The room's history keeps every sequence (dense) but the thread-only replies are not "in the room".
        var room = await chat.Messages.GetLatestAsync(alice.Id, Room.GeneralRoomId);
        Assert.Equal(room.Count, room.Select(m => m.Sequence).Distinct().Count());
        Assert.Equal(["release today", "thanks"], room.Where(m => m.InRoom).Select(m => m.Text));
        Assert.Equal(3, room.Single(m => m.Id == root.Id).Thread!.ReplyCount);
        Assert.True(room.Single(m => m.Id == echoed.Id).AlsoInRoom);

        // Room unread counts leave thread-only replies out; the reply also sent to the room counts.
        Assert.Equal(2, await chat.Messages.CountUnreadAsync(carol.Id, Room.GeneralRoomId));
        Assert.Equal(2, (await chat.Rooms.GetSidebarAsync(carol.Id)).Single(r => r.Id == Room.GeneralRoomId).Unread);
    }

    [Fact]
    public async Task Replying_mentioning_and_writing_the_root_follow_the_thread_and_count_unread_replies()
    {
        var root = await SendAsync(alice, "design review");
        await SendAsync(bob, "looks good", thread: root.Id);

        // Alice wrote the root, Bob replied; Carol has nothing to do with it yet.
        Assert.Equal(1, await UnreadInAsync(alice, root.Id));
        Assert.Equal(0, await UnreadInAsync(bob, root.Id));
        Assert.DoesNotContain(await Threads.GetFollowStateAsync(carol.Id), s => s.RootId == root.Id);

        await SendAsync(bob, "@Carol what do you think?", thread: root.Id);
        Assert.Equal(2, await UnreadInAsync(alice, root.Id));
        Assert.Equal(1, await UnreadInAsync(carol, root.Id));

        await Threads.MarkReadAsync(alice.Id, Room.GeneralRoomId, root.Id, long.MaxValue);
        Assert.Equal(0, await UnreadInAsync(alice, root.Id));

        var followed = await Threads.GetFollowedAsync(carol.Id);
        Assert.Equal(root.Id, Assert.Single(followed).Root.Id);
        Assert.Equal(1, followed[0].Unread);
    }

    [Fact]
    public async Task Unfollowing_sticks_until_a_mention_and_the_root_author_is_not_followed_again()
    {
        var root = await SendAsync(alice, "lunch?");
        await SendAsync(bob, "yes", thread: root.Id);
        Assert.True((await Threads.SetFollowingAsync(alice.Id, root.Id, following: false)).Succeeded);

        await SendAsync(bob, "12:30?", thread: root.Id);
        Assert.False((await Threads.GetFollowStateAsync(alice.Id)).Single(s => s.RootId == root.Id).Following);
        Assert.Empty(await Threads.GetFollowedAsync(alice.Id));

        await SendAsync(bob, "@Alice you in?", thread: root.Id);
        Assert.True((await Threads.GetFollowStateAsync(alice.Id)).Single(s => s.RootId == root.Id).Following);
    }

    [Fact]
    public async Task Replies_must_go_to_a_live_root_of_the_same_room()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        var rootElsewhere = await SendAsync(alice, "in secret", secret.Id);
        var root = await SendAsync(alice, "root");
        var reply = await SendAsync(bob, "reply", thread: root.Id);

        async Task<string?> TryAsync(ChatUser who, long rootId, int roomId = Room.GeneralRoomId) =>
            (await chat.Messages.SendAsync(who, roomId, "x", Guid.NewGuid(), new MessageService.SendOptions(ThreadRootId: rootId))).Error;

        Assert.Equal(ThreadService.NotInRoom, await TryAsync(bob, rootElsewhere.Id));
        Assert.Equal(ThreadService.NotInRoom, await TryAsync(bob, reply.Id));
        Assert.Equal(ThreadService.NotInRoom, await TryAsync(bob, long.MaxValue));
        await chat.Messages.DeleteAsync(alice, root.Id);
        Assert.Equal(ThreadService.RootDeleted, await TryAsync(bob, root.Id));
    }

    [Fact]
    public async Task Another_rooms_thread_answers_like_no_thread_and_access_ends_with_membership()
    {
        var secret = (await chat.Rooms.CreateRoomAsync(alice, "secret", RoomKind.Private, null)).Value!;
        await chat.Rooms.InviteAsync(alice, secret.Id, bob.Id);
        var root = await SendAsync(alice, "plans", secret.Id);
        var reply = await SendAsync(bob, "@Alice noted", secret.Id, thread: root.Id);

        // Carol is not in the room: nothing to read, follow or post, and nothing listed.
        Assert.Null(await Threads.GetThreadAsync(carol.Id, root.Id));
        Assert.Empty(await Threads.GetRepliesAfterAsync(carol.Id, secret.Id, root.Id, 0));
        Assert.Empty(await Threads.GetRepliesBeforeAsync(carol.Id, secret.Id, root.Id, long.MaxValue));
        Assert.Equal(ChatResult.MessageNotFound, (await Threads.SetFollowingAsync(carol.Id, root.Id, true)).Error);
        Assert.Equal(ChatResult.RoomNotFound, (await chat.Messages.SendAsync(carol, secret.Id, "hi", Guid.NewGuid(), new MessageService.SendOptions(ThreadRootId: root.Id))).Error);
        Assert.Empty(await Threads.GetFollowedAsync(carol.Id));

        // Bob follows it (he replied) until he leaves the room: then it is gone from his list and unreadable.
        Assert.Single(await Threads.GetFollowedAsync(bob.Id));
        Assert.Equal(2, (await Threads.GetThreadAsync(bob.Id, root.Id))!.Replies.Count + 1);
        await chat.Rooms.LeaveAsync(bob, secret.Id);
        Assert.Null(await Threads.GetThreadAsync(bob.Id, root.Id));
        Assert.Empty(await Threads.GetRepliesAfterAsync(bob.Id, secret.Id, root.Id, 0));
        Assert.Empty(await Threads.GetFollowedAsync(bob.Id));
        Assert.Empty(await Threads.GetFollowStateAsync(bob.Id));
        Assert.NotEqual(0, reply.Sequence);
    }

    [Fact]
    public async Task A_deleted_reply_leaves_the_summary_and_the_unread_count()
    {
        var root = await SendAsync(alice, "question");
        var first = await SendAsync(bob, "answer one", thread: root.Id);
        await SendAsync(bob, "answer two", thread: root.Id);
        Assert.Equal(2, await UnreadInAsync(alice, root.Id));

        Assert.True((await chat.Messages.DeleteAsync(bob, first.Id)).Succeeded);

        Assert.Equal(1, await UnreadInAsync(alice, root.Id));
        var view = (await Threads.GetThreadAsync(alice.Id, root.Id))!;
        Assert.Equal(1, view.Root.Thread!.ReplyCount);
        Assert.True(view.Replies[0].IsDeleted);
    }

    [Fact]
    public async Task Search_hits_inside_a_thread_carry_their_root()
    {
        var root = await SendAsync(alice, "deploy window");
        await SendAsync(bob, "the zeppelin build is ready", thread: root.Id);

        var hit = Assert.Single((await chat.Get<SearchService>().SearchAsync(carol.Id, "zeppelin")).Items);
        Assert.Equal(root.Id, hit.ThreadRootId);
    }

    [Fact]
    public async Task A_tab_follows_its_thread_live_and_counts_replies_to_followed_threads_without_reading_the_database()
    {
        var root = await SendAsync(alice, "incident 42");
        var aliceTab = await OpenTabAsync(alice);
        var carolTab = await OpenTabAsync(carol);

        // Bob replies: Alice (the root's author) now follows with one unread; Carol does not follow.
        await SendAsync(bob, "on it", thread: root.Id);
        await ChatServices.EventuallyAsync(() => aliceTab.Threads.Followed.WithUnread == 1);
        Assert.Equal(0, carolTab.Threads.Followed.WithUnread);
        await ChatServices.EventuallyAsync(() => aliceTab.Room!.Timeline.Messages.Single(m => m.Id == root.Id).Thread?.ReplyCount == 1);

        // Carol opens the thread and sees Bob's reply arrive live; a mention makes her follow.
        Assert.True(await carolTab.Threads.OpenAsync(root.Id));
        await SendAsync(bob, "@Carol can you check the logs?", thread: root.Id);
        await ChatServices.EventuallyAsync(() => carolTab.Threads.Open!.Replies.Count == 2);
        Assert.True(carolTab.Threads.Followed.IsFollowing(root.Id));
        Assert.Equal(0, carolTab.Threads.Followed.WithUnread);
        await ChatServices.EventuallyAsync(() => aliceTab.Threads.Followed.UnreadIn(root.Id) == 2);

        // The room's list does not show thread-only replies, and they do not count as the room's unread.
        Assert.Equal(0, aliceTab.Sidebar.Find(Room.GeneralRoomId)!.Unread);
        aliceTab.Dispose();
        carolTab.Dispose();
    }

    private async Task<ChatTab> OpenTabAsync(ChatUser reader)
    {
        var tab = await chat.OpenLiveTabAsync(reader, Room.GeneralRoomId);
        return tab;
    }

}

public sealed class ThreadTestsOnPostgres() : ThreadTests(DatabaseProvider.Postgres);
