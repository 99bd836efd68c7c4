using ChatApp.Data;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public sealed class OpenRoomTests
{
    private const int RoomId = 3;

    private sealed class NoHistory : IRoomHistory
    {
        public Task<IReadOnlyList<ChatMessage>> GetLatestAsync(string userId, int roomId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ChatMessage>>([]);

        public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string userId, int roomId, long beforeSequence, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ChatMessage>>([]);

        public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string userId, int roomId, long afterSequence, CancellationToken cancellationToken = default, int take = MessageService.MaxCatchUp) =>
            Task.FromResult<IReadOnlyList<ChatMessage>>([]);
    }

    private static OpenRoom Create(RoomKind kind = RoomKind.Public)
    {
        var room = new OpenRoom(new RoomInfo(RoomId, "design", kind, null, IsMember: true),
            new RoomTimeline(new NoHistory(), "alice", RoomId, new ChatOptions()), "alice", new TypingState(new ManualTimeProvider()), TimeSpan.FromSeconds(5));
        room.SetMembers([new RoomPerson("alice", "Alice"), new RoomPerson("bob", "Bob")]);
        return room;
    }

    private static MessagePosted Posted(long sequence, string author) =>
        new(new ChatMessage(sequence, RoomId, sequence, author, author, $"m{sequence}", DateTime.UnixEpoch, null, false));

    [Fact]
    public void A_message_at_the_bottom_renders_only_the_list_and_one_while_scrolled_up_counts_as_unseen()
    {
        var room = Create();

        Assert.Equal(OpenRoom.Change.Messages, room.Apply(Posted(1, "bob")));

        room.SetAtBottom(false);
        var scrolledUp = room.Apply(Posted(2, "bob"));
        Assert.True(scrolledUp.HasFlag(OpenRoom.Change.Page) && scrolledUp.HasFlag(OpenRoom.Change.Messages));
        Assert.Equal(1, room.UnseenBelow);

        var mine = room.Apply(Posted(3, "alice"));
        Assert.True(mine.HasFlag(OpenRoom.Change.ScrollToBottom));
        room.SetAtBottom(true);
        Assert.Equal(0, room.UnseenBelow);
        Assert.Equal(3, room.Timeline.LastSequence);
    }

    [Fact]
    public void Typing_shows_until_that_person_posts_and_the_readers_own_typing_is_ignored()
    {
        var room = Create();

        Assert.Equal(OpenRoom.Change.Typing, room.Apply(new UserTyping(RoomId, "bob", "Bob")));
        Assert.Equal(OpenRoom.Change.None, room.Apply(new UserTyping(RoomId, "alice", "Alice")));
        Assert.Equal("Bob is typing…", room.Typing.Text);

        Assert.True(room.Apply(Posted(1, "bob")).HasFlag(OpenRoom.Change.Typing));
        Assert.Null(room.Typing.Text);
    }

    [Fact]
    public void Members_joining_and_leaving_update_mention_names_and_other_rooms_change_nothing()
    {
        var room = Create();
        Assert.Contains("room", room.MentionCandidates);

        Assert.Equal(OpenRoom.Change.Page, room.Apply(new MemberJoined(RoomId, "carol", "Carol")));
        Assert.Equal("carol", room.MemberNames["Carol"]);
        Assert.Equal(OpenRoom.Change.None, room.Apply(new MemberJoined(RoomId, "carol", "Carol")));
        Assert.Equal(OpenRoom.Change.Page, room.Apply(new MemberLeft(RoomId, "bob")));
        Assert.DoesNotContain("Bob", room.MentionCandidates);
        Assert.Equal(OpenRoom.Change.None, room.Apply(new MemberLeft(RoomId + 1, "carol")));

        var direct = Create(RoomKind.Direct);
        Assert.DoesNotContain("room", direct.MentionCandidates);
        Assert.Equal(["Bob"], direct.MentionCandidates);
    }

    [Fact]
    public void A_gap_before_a_live_message_is_reported_for_filling()
    {
        var room = Create();
        room.Apply(Posted(1, "bob"));

        Assert.True(room.Apply(Posted(4, "bob")).HasFlag(OpenRoom.Change.Gap));
    }
}
