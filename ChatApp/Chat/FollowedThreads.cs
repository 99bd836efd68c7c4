namespace ChatApp.Chat;

/// <summary>
/// Which threads the reader follows and how many replies of each are unread, kept current from the room events the
/// tab receives anyway: the server's rules (follow when you reply, when you are mentioned, when you wrote the root)
/// applied locally, so a reply costs no read per reader.
/// </summary>
public sealed class FollowedThreads(string meId)
{
    private readonly Dictionary<long, int> unread = [];
    private readonly HashSet<long> unfollowed = [];

    /// <summary>Followed threads with unread replies (the sidebar's "Threads" badge).</summary>
    public int WithUnread { get; private set; }

    public void Load(IEnumerable<(long RootId, int RoomId, bool Following, int Unread)> state)
    {
        unread.Clear();
        unfollowed.Clear();
        foreach (var (rootId, _, following, count) in state)
        {
            if (following)
            {
                unread[rootId] = count;
            }
            else
            {
                unfollowed.Add(rootId);
            }
        }
        Count();
    }

    public bool IsFollowing(long rootId) => unread.ContainsKey(rootId);

    public int UnreadIn(long rootId) => unread.GetValueOrDefault(rootId);

    /// <summary>A reply arrived; <paramref name="reading"/>: the reader has that thread open in front. True when a count changed.</summary>
    public bool Arrived(ChatMessage reply, bool reading)
    {
        if (reply.ThreadRootId is not { } rootId)
        {
            return false;
        }
        if (reply.AuthorId == meId)
        {
            return Follow(rootId, 0);
        }
        if (reply.Mentions(meId))
        {
            return Follow(rootId, reading ? 0 : unread.GetValueOrDefault(rootId) + 1);
        }
        if (!reading && unread.TryGetValue(rootId, out var count))
        {
            unread[rootId] = count + 1;
            Count();
            return true;
        }
        return false;
    }

    /// <summary>The reader wrote the root: they follow from the first reply on, unless they unfollowed it.</summary>
    public bool Summarized(ThreadChanged changed, bool reading)
    {
        if (changed.RootAuthorId != meId || changed.Summary is null || unread.ContainsKey(changed.RootId) || unfollowed.Contains(changed.RootId))
        {
            return false;
        }
        // Not known yet, so the reader never replied: every reply is someone else's.
        return Follow(changed.RootId, reading ? 0 : changed.Summary.ReplyCount);
    }

    public void SetFollowing(long rootId, bool following)
    {
        if (following)
        {
            Follow(rootId, 0);
            return;
        }
        unread.Remove(rootId);
        unfollowed.Add(rootId);
        Count();
    }

    /// <summary>The reader saw the thread's newest replies.</summary>
    public bool MarkRead(long rootId)
    {
        if (unread.GetValueOrDefault(rootId) == 0)
        {
            return false;
        }
        unread[rootId] = 0;
        Count();
        return true;
    }

    private bool Follow(long rootId, int count)
    {
        unfollowed.Remove(rootId);
        unread[rootId] = count;
        Count();
        return true;
    }

    private void Count() => WithUnread = unread.Values.Count(c => c > 0);
}
