using System.Collections.Concurrent;

namespace ChatApp.Chat;

/// <summary>
/// A value per key for the whole server, bounded: keys are kept in two generations of <paramref name="generationSize"/>
/// (the newest and the one before); a key found in the older generation moves to the newer, and when the newer is full
/// the older is dropped. So what tabs show now stays, and what nobody shows any more goes without a sweep.
/// </summary>
internal class Generations<TKey, TValue>(int generationSize, IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly Lock generationLock = new();
    private ConcurrentDictionary<TKey, TValue> current = new(comparer);
    private ConcurrentDictionary<TKey, TValue> previous = new(comparer);

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (current.TryGetValue(key, out var value))
        {
            return value;
        }
        if (previous.TryGetValue(key, out value))
        {
            return current.GetOrAdd(key, value);
        }
        if (current.Count >= generationSize)
        {
            lock (generationLock)
            {
                if (current.Count >= generationSize)
                {
                    previous = current;
                    current = new(comparer);
                }
            }
        }
        return current.GetOrAdd(key, create);
    }
}

/// <summary>
/// A value per message version (<see cref="Generations{TKey, TValue}"/>). Messages are immutable records: the same
/// version, delivered live or loaded by each tab from the database, finds the same entry (<see cref="SameVersion"/>).
/// </summary>
internal sealed class MessageVersions<TValue>(int generationSize) : Generations<ChatMessage, TValue>(generationSize, SameVersion.Instance);

/// <summary>
/// Two copies of one message version: every field a row can show, lists by content (each tab's history load makes
/// its own lists). MessageRowsTests changes each property of <see cref="ChatMessage"/> in turn and expects a miss,
/// so a property added to the message without a line here fails a test instead of showing stale rows.
/// </summary>
internal sealed class SameVersion : IEqualityComparer<ChatMessage>
{
    public static readonly SameVersion Instance = new();

    public bool Equals(ChatMessage? a, ChatMessage? b) => ReferenceEquals(a, b) || a is not null && b is not null
        && a.Id == b.Id && a.RoomId == b.RoomId && a.Sequence == b.Sequence && a.AuthorId == b.AuthorId && a.AuthorName == b.AuthorName
        && a.Text == b.Text && a.CreatedAt == b.CreatedAt && a.EditedAt == b.EditedAt && a.IsDeleted == b.IsDeleted
        && a.RemovedByModerator == b.RemovedByModerator && a.ReplyToId == b.ReplyToId && Equals(a.ReplyTo, b.ReplyTo)
        && a.MentionsRoom == b.MentionsRoom && a.IsBot == b.IsBot && a.ThreadRootId == b.ThreadRootId && a.AlsoInRoom == b.AlsoInRoom
        && a.IsPinned == b.IsPinned && a.IsSaved == b.IsSaved
        && a.MentionedUserIds.SequenceEqual(b.MentionedUserIds) && a.Attachments.SequenceEqual(b.Attachments)
        && SameReactions(a.Reactions, b.Reactions) && SameThread(a.Thread, b.Thread);

    public int GetHashCode(ChatMessage message) =>
        HashCode.Combine(message.Id, message.Text.Length, message.EditedAt, message.IsDeleted, message.Reactions.Count, message.Thread?.ReplyCount);

    private static bool SameReactions(IReadOnlyList<ReactionSummary> a, IReadOnlyList<ReactionSummary> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Emoji != b[i].Emoji || !a[i].UserIds.SequenceEqual(b[i].UserIds) || !a[i].Names.SequenceEqual(b[i].Names))
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameThread(ThreadSummary? a, ThreadSummary? b) => ReferenceEquals(a, b) || a is not null && b is not null
        && a.ReplyCount == b.ReplyCount && a.LastReplyAt == b.LastReplyAt && a.Participants.SequenceEqual(b.Participants);
}
