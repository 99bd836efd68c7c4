using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>A thread as one reader may see it: its root and its newest replies, oldest first.</summary>
public sealed record ThreadView(ChatMessage Root, IReadOnlyList<ChatMessage> Replies, bool HasOlder);

/// <summary>A followed thread in the "Threads" list: its root, where it is and how many replies are unread.</summary>
public sealed record FollowedThread(ChatMessage Root, string RoomName, RoomKind Kind, int Unread);

/// <summary>
/// Reads threads and keeps who follows them. Every read and write is authorized through <see cref="RoomMembership"/>
/// at the moment it happens: a thread of a room the reader cannot read answers like a thread that does not exist.
/// Replies are posted through <see cref="MessageService"/> (its writer records the follows in the same transaction).
/// </summary>
public sealed class ThreadService(IDbContextFactory<ApplicationDbContext> dbFactory, RoomMembership membership, IChatNotifier notifier, TimeProvider time)
{
    public const string NotInRoom = "That thread is not in this room.";

    public const string RootDeleted = "That message was deleted; its thread takes no new replies.";

    /// <summary>Replies the thread panel loads at once; older ones come with "Load older replies".</summary>
    public const int PageSize = 100;

    /// <summary>Why a reply to <paramref name="rootId"/> cannot be sent in this room, or null.</summary>
    internal static async Task<string?> CheckRootAsync(ApplicationDbContext db, int roomId, long rootId, CancellationToken cancellationToken)
    {
        var root = await db.Messages.AsNoTracking()
            .Where(m => m.Id == rootId && m.RoomId == roomId)
            .Select(m => new { m.ThreadRootId, m.DeletedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return root switch
        {
            null or { ThreadRootId: not null } => NotInRoom,
            { DeletedAt: not null } => RootDeleted,
            _ => null,
        };
    }

    /// <summary>The thread under a room message, or null when there is none the reader may see.</summary>
    public async Task<ThreadView?> GetThreadAsync(string userId, long rootId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var root = await MessageProjection.Project(db.Messages.Where(m => m.Id == rootId && m.ThreadRootId == null)).FirstOrDefaultAsync(cancellationToken);
        if (root is null || !await membership.CanReadAsync(userId, root.RoomId))
        {
            return null;
        }
        var replies = await MessageProjection.Project(db.Messages.Where(m => m.ThreadRootId == rootId).OrderByDescending(m => m.Sequence))
            .Take(PageSize + 1)
            .ToListAsync(cancellationToken);
        var hasOlder = replies.Count > PageSize;
        replies = [.. replies.Take(PageSize).Reverse()];
        var enriched = await MessageProjection.EnrichAsync(db, [root, .. replies], cancellationToken);
        return new ThreadView(enriched[0], enriched.Skip(1).ToList(), hasOlder);
    }

    /// <summary>Replies after a sequence (catch-up after a reconnect), oldest first; empty when the reader may not see the thread.</summary>
    public Task<IReadOnlyList<ChatMessage>> GetRepliesAfterAsync(string userId, int roomId, long rootId, long afterSequence, CancellationToken cancellationToken = default) =>
        ReadRepliesAsync(userId, roomId, m => m.ThreadRootId == rootId && m.Sequence > afterSequence, newest: false, cancellationToken);

    /// <summary>The page of replies before a sequence, oldest first.</summary>
    public Task<IReadOnlyList<ChatMessage>> GetRepliesBeforeAsync(string userId, int roomId, long rootId, long beforeSequence, CancellationToken cancellationToken = default) =>
        ReadRepliesAsync(userId, roomId, m => m.ThreadRootId == rootId && m.Sequence < beforeSequence, newest: true, cancellationToken);

    private async Task<IReadOnlyList<ChatMessage>> ReadRepliesAsync(string userId, int roomId, System.Linq.Expressions.Expression<Func<Message, bool>> which,
        bool newest, CancellationToken cancellationToken)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Messages.Where(m => m.RoomId == roomId).Where(which);
        var page = await MessageProjection.Project(newest ? query.OrderByDescending(m => m.Sequence) : query.OrderBy(m => m.Sequence))
            .Take(PageSize)
            .ToListAsync(cancellationToken);
        if (newest)
        {
            page.Reverse();
        }
        return await MessageProjection.EnrichAsync(db, page, cancellationToken);
    }

    /// <summary>Follows or stops following a thread the user can read.</summary>
    public async Task<ChatResult> SetFollowingAsync(string userId, long rootId, bool following, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var root = await db.Messages.AsNoTracking().Where(m => m.Id == rootId && m.ThreadRootId == null)
            .Select(m => new { m.RoomId }).FirstOrDefaultAsync(cancellationToken);
        if (root is null || !await membership.CanReadAsync(userId, root.RoomId))
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        var row = await db.ThreadFollowers.FirstOrDefaultAsync(f => f.RootMessageId == rootId && f.UserId == userId, cancellationToken);
        if (row is null)
        {
            // Following from now on: what is there already counts as read.
            var last = await db.Messages.Where(m => m.ThreadRootId == rootId).MaxAsync(m => (long?)m.Sequence, cancellationToken) ?? 0;
            db.ThreadFollowers.Add(row = new ThreadFollower { RootMessageId = rootId, UserId = userId, LastReadSequence = last });
        }
        row.IsFollowing = following;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A reply made the user follow it at the same moment; try once more on the row that now exists.
            return await SetFollowingAsync(userId, rootId, following, cancellationToken);
        }
        return ChatResult.Ok;
    }

    /// <summary>Moves the reader's place in a followed thread forward (never back).</summary>
    public async Task MarkReadAsync(string userId, int roomId, long rootId, long sequence, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ThreadFollowers
            .Where(f => f.RootMessageId == rootId && f.UserId == userId && f.LastReadSequence < sequence)
            .ExecuteUpdateAsync(f => f.SetProperty(x => x.LastReadSequence, sequence), cancellationToken);
    }

    /// <summary>Every thread the user has a say about (followed or unfollowed) in rooms they can read, with unread replies of followed ones.</summary>
    public async Task<IReadOnlyList<(long RootId, int RoomId, bool Following, int Unread)>> GetFollowStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        var rooms = (await membership.RoomsOfAsync(userId)).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from f in db.ThreadFollowers
            where f.UserId == userId
            join m in db.Messages on f.RootMessageId equals m.Id
            where rooms.Contains(m.RoomId)
            select new
            {
                f.RootMessageId,
                m.RoomId,
                f.IsFollowing,
                Unread = f.IsFollowing
                    ? db.Messages.Count(r => r.ThreadRootId == f.RootMessageId && r.Sequence > f.LastReadSequence && r.DeletedAt == null && r.AuthorId != userId)
                    : 0,
            }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.RootMessageId, r.RoomId, r.IsFollowing, r.Unread))];
    }

    /// <summary>The followed threads in rooms the user can read now: unread first, then by the last reply.</summary>
    public async Task<IReadOnlyList<FollowedThread>> GetFollowedAsync(string userId, int take = 50, CancellationToken cancellationToken = default)
    {
        var state = (await GetFollowStateAsync(userId, cancellationToken)).Where(s => s.Following).ToDictionary(s => s.RootId);
        if (state.Count == 0)
        {
            return [];
        }
        var ids = state.Keys.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roots = await MessageProjection.Project(db.Messages.Where(m => ids.Contains(m.Id))).ToListAsync(cancellationToken);
        var enriched = await MessageProjection.EnrichAsync(db, roots, cancellationToken);
        var roomIds = roots.Select(r => r.RoomId).Distinct().ToList();
        var names = await db.Rooms.Where(r => roomIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => (r.Name, r.Kind), cancellationToken);
        return [.. enriched
            .Where(root => root.Thread is not null)
            .Select(root => new FollowedThread(root, names[root.RoomId].Name, names[root.RoomId].Kind, state[root.Id].Unread))
            .OrderByDescending(t => t.Unread > 0)
            .ThenByDescending(t => t.Root.Thread!.LastReplyAt)
            .Take(take)];
    }

    /// <summary>Tells the room's readers the thread's new summary (after a reply was posted or deleted).</summary>
    public async Task PublishSummaryAsync(int roomId, long rootId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var root = await db.Messages.AsNoTracking().Where(m => m.Id == rootId).Select(m => new { m.Sequence, m.AuthorId }).FirstOrDefaultAsync(cancellationToken);
        if (root is null)
        {
            return;
        }
        var summaries = await MessageProjection.LoadThreadSummariesAsync(db, [rootId], cancellationToken);
        notifier.Publish(new ThreadChanged(roomId, rootId, root.Sequence, root.AuthorId, summaries.GetValueOrDefault(rootId)));
    }
}
