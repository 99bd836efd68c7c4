namespace ChatApp.Chat;

/// <summary>The tab's followed-thread counts, applied from live replies without reading the database.</summary>
public sealed class FollowedThreadsTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);

    private static ChatMessage Reply(long sequence, string authorId, long root = 100, params string[] mentioned) =>
        new(sequence, 1, sequence, authorId, authorId, "text", Now, null, false) { ThreadRootId = root, MentionedUserIds = mentioned };

    [Fact]
    public void Replies_count_only_in_followed_threads_and_not_while_the_reader_has_the_thread_open()
    {
        var threads = new FollowedThreads("me");
        threads.Load([(100, 1, true, 0), (200, 1, false, 0)]);

        Assert.True(threads.Arrived(Reply(1, "bob"), reading: false));
        Assert.False(threads.Arrived(Reply(2, "bob", root: 200), reading: false));
        Assert.False(threads.Arrived(Reply(3, "bob", root: 300), reading: false));
        Assert.False(threads.Arrived(Reply(4, "bob"), reading: true));
        Assert.Equal(1, threads.UnreadIn(100));
        Assert.Equal(1, threads.WithUnread);

        Assert.True(threads.MarkRead(100));
        Assert.Equal(0, threads.WithUnread);
    }

    [Fact]
    public void Replying_or_being_mentioned_follows_even_an_unfollowed_thread()
    {
        var threads = new FollowedThreads("me");
        threads.Load([(200, 1, false, 0)]);

        threads.Arrived(Reply(1, "bob", root: 200, "me"), reading: false);
        Assert.Equal(1, threads.UnreadIn(200));
        threads.Arrived(Reply(2, "me", root: 300), reading: false);
        Assert.True(threads.IsFollowing(300));
        Assert.Equal(0, threads.UnreadIn(300));
    }

    [Fact]
    public void The_roots_author_follows_from_the_first_reply_unless_they_unfollowed()
    {
        var threads = new FollowedThreads("me");
        threads.Load([(200, 1, false, 0)]);
        var summary = new ThreadSummary(2, Now, ["Bob"]);

        Assert.True(threads.Summarized(new ThreadChanged(1, 100, 5, "me", summary), reading: false));
        Assert.Equal(2, threads.UnreadIn(100));
        Assert.False(threads.Summarized(new ThreadChanged(1, 200, 6, "me", summary), reading: false));
        Assert.False(threads.Summarized(new ThreadChanged(1, 300, 7, "someone", summary), reading: false));
        Assert.False(threads.IsFollowing(200));
        Assert.False(threads.IsFollowing(300));
    }
}
