using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

[Trait("Cost", "service")]
public sealed class SidebarStateTests
{
    private static readonly RoomPerson Alice = new("alice", "Alice");
    private static readonly RoomPerson Bob = new("bob", "Bob");

    private static SidebarState Create(Func<string, PresenceStatus>? fallback = null)
    {
        var sidebar = new SidebarState("alice", fallback ?? (_ => PresenceStatus.Offline));
        sidebar.Load([
            new SidebarRoom(1, "general", Data.RoomKind.Public, Unread: 2, LastReadSequence: 10, []) { UnreadMentions = 1 },
            new SidebarRoom(2, "Bob", Data.RoomKind.Direct, Unread: 0, LastReadSequence: 5, [Alice, Bob]),
        ]);
        return sidebar;
    }

    private static ChatMessage Message(int roomId, long sequence, string authorId, bool mentionsAlice = false) =>
        new(sequence, roomId, sequence, authorId, authorId, "hi", DateTime.UnixEpoch, null, false)
        {
            MentionedUserIds = mentionsAlice ? ["alice"] : [],
        };

    [Fact]
    public void Arrivals_from_others_count_as_unread_and_mentions_apart_but_own_and_already_read_ones_do_not()
    {
        var sidebar = Create();

        Assert.True(sidebar.CountArrived(Message(2, 6, "bob")));
        Assert.True(sidebar.CountArrived(Message(2, 7, "bob", mentionsAlice: true)));
        Assert.False(sidebar.CountArrived(Message(2, 5, "bob")));
        Assert.False(sidebar.CountArrived(Message(2, 8, "alice")));
        Assert.False(sidebar.CountArrived(Message(99, 1, "bob")));

        var dm = sidebar.Find(2)!;
        Assert.Equal(2, dm.Unread);
        Assert.Equal(1, dm.UnreadMentions);
        Assert.Equal(8, dm.LastReadSequence);
        Assert.Equal(4, sidebar.TotalUnread);
    }

    [Fact]
    public void Reading_clears_the_badge_and_never_moves_the_marker_back()
    {
        var sidebar = Create();

        sidebar.MarkRead(1, 8);

        var general = sidebar.Find(1)!;
        Assert.Equal((0, 0, 10L), (general.Unread, general.UnreadMentions, general.LastReadSequence));
        Assert.Equal(0, sidebar.TotalUnread);
    }

    [Fact]
    public void Deleting_an_unread_message_uncounts_it_and_asks_for_a_mention_recount_only_when_mentions_are_shown()
    {
        var sidebar = Create();

        Assert.True(sidebar.CountDeleted(new MessageDeleted(1, 11, 11, "bob")));
        Assert.Equal(1, sidebar.Find(1)!.Unread);
        Assert.False(sidebar.CountDeleted(new MessageDeleted(1, 9, 9, "bob")));
        Assert.False(sidebar.CountDeleted(new MessageDeleted(1, 12, 12, "alice")));
        Assert.False(sidebar.CountDeleted(new MessageDeleted(2, 6, 6, "bob")));
        Assert.Equal(1, sidebar.Find(1)!.Unread);
    }

    [Fact]
    public void A_read_marker_moved_elsewhere_clears_the_room_read_here_and_asks_to_count_others()
    {
        var sidebar = Create();

        Assert.Equal(SidebarState.MarkerMove.None, sidebar.MoveReadMarker(1, 10, readingHere: false));
        Assert.Equal(SidebarState.MarkerMove.Cleared, sidebar.MoveReadMarker(1, 12, readingHere: true));
        Assert.Equal(0, sidebar.Find(1)!.Unread);
        Assert.Equal(SidebarState.MarkerMove.None, sidebar.MoveReadMarker(1, 13, readingHere: true));
        Assert.Equal(SidebarState.MarkerMove.CountAgain, sidebar.MoveReadMarker(2, 9, readingHere: false));
        Assert.Equal(9, sidebar.Find(2)!.LastReadSequence);
    }

    [Fact]
    public void Presence_from_events_wins_over_the_fallback_and_bumps_the_version()
    {
        var sidebar = Create(_ => PresenceStatus.Away);
        Assert.Equal(PresenceStatus.Away, sidebar.PresenceOf("bob"));

        sidebar.SetPresence("bob", PresenceStatus.Online);

        Assert.Equal(PresenceStatus.Online, sidebar.PresenceOf("bob"));
        Assert.Equal(1, sidebar.PresenceVersion);
    }

    [Fact]
    public void Removing_a_room_drops_it_from_the_list_and_the_subscriptions_wanted()
    {
        var sidebar = Create();

        Assert.True(sidebar.Remove(1));

        Assert.Equal([2], sidebar.RoomIds);
        Assert.Null(sidebar.Find(1));
    }

    [Fact]
    public void Typing_names_expire_after_their_timeout()
    {
        var time = new ManualTimeProvider();
        var typing = new TypingState(time);
        typing.Typing("bob", "Bob", TimeSpan.FromSeconds(5));
        typing.Typing("carol", "Carol", TimeSpan.FromSeconds(10));
        Assert.Equal("Bob and Carol are typing…", typing.Text);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(typing.Prune());
        Assert.Equal("Carol is typing…", typing.Text);
        Assert.True(typing.Stop("carol"));
        Assert.Null(typing.Text);
        Assert.True(typing.IsEmpty);
    }
}
