using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>
/// How stored messages become the <see cref="ChatMessage"/>s the chat shows: the projection every read starts from,
/// then one page's reply snippets, reactions, mentions and attachments. Callers authorize first; this only reads.
/// </summary>
internal static class MessageProjection
{
    /// <summary>A message as shown: a deleted message keeps its place but not its text.</summary>
    public static IQueryable<ChatMessage> Project(IQueryable<Message> messages) =>
        messages.Select(m => new ChatMessage(
            m.Id,
            m.RoomId,
            m.Sequence,
            m.AuthorId,
            m.Author != null ? m.Author.DisplayName : ChatMessage.DeletedUserName,
            m.DeletedAt == null ? m.Text : "",
            m.CreatedAt,
            m.EditedAt,
            m.DeletedAt != null,
            m.RemovedByModerator,
            m.ReplyToId)
        {
            IsBot = m.Author != null && m.Author.IsBot,
            ThreadRootId = m.ThreadRootId,
            AlsoInRoom = m.AlsoInRoom,
        });

    /// <summary>Adds reply snippets, reactions, mentions and attachments to a page of messages (four small queries).</summary>
    public static async Task<IReadOnlyList<ChatMessage>> EnrichAsync(ApplicationDbContext db, IReadOnlyList<ChatMessage> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return page;
        }
        var ids = page.Select(m => m.Id).ToList();
        var replyIds = page.Where(m => m.ReplyToId is not null).Select(m => m.ReplyToId!.Value).Distinct().ToList();
        var replies = replyIds.Count == 0 ? [] : await db.Messages.AsNoTracking()
            .Where(m => replyIds.Contains(m.Id))
            .Select(m => new ReplySnippet(m.Id, m.Sequence, m.Author != null ? m.Author.DisplayName : ChatMessage.DeletedUserName,
                m.DeletedAt == null ? (m.Text.Length > ReplySnippet.Length ? m.Text.Substring(0, ReplySnippet.Length) + "…" : m.Text) : "", m.DeletedAt != null))
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var reactions = await LoadReactionsAsync(db, ids, cancellationToken);
        var rootIds = page.Where(m => m.ThreadRootId is null).Select(m => m.Id).ToList();
        var threads = await LoadThreadSummariesAsync(db, rootIds, cancellationToken);
        var mentions = (await db.MessageMentions.AsNoTracking().Where(x => ids.Contains(x.MessageId)).ToListAsync(cancellationToken))
            .ToLookup(x => x.MessageId, x => x.UserId);
        var mentionsRoom = (await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id) && m.MentionsRoom).Select(m => m.Id).ToListAsync(cancellationToken)).ToHashSet();
        var attachments = (await db.Attachments.AsNoTracking().Where(a => a.MessageId != null && ids.Contains(a.MessageId.Value))
            .Select(a => new { MessageId = a.MessageId!.Value, Info = new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Size) })
            .ToListAsync(cancellationToken)).ToLookup(a => a.MessageId, a => a.Info);
        return [.. page.Select(m => m with
        {
            ReplyTo = m.ReplyToId is { } replyId ? replies.GetValueOrDefault(replyId) ?? new ReplySnippet(replyId, 0, "", "", true) : null,
            Reactions = reactions.GetValueOrDefault(m.Id, []),
            MentionedUserIds = [.. mentions[m.Id]],
            MentionsRoom = mentionsRoom.Contains(m.Id),
            Attachments = m.IsDeleted ? [] : [.. attachments[m.Id]],
            Thread = threads.GetValueOrDefault(m.Id),
        })];
    }

    /// <summary>The threads under these messages (one grouped query over the thread index); roots without replies are absent.</summary>
    public static async Task<Dictionary<long, ThreadSummary>> LoadThreadSummariesAsync(ApplicationDbContext db, IReadOnlyList<long> rootIds, CancellationToken cancellationToken)
    {
        if (rootIds.Count == 0)
        {
            return [];
        }
        var repliers = await db.Messages.AsNoTracking()
            .Where(m => m.ThreadRootId != null && rootIds.Contains(m.ThreadRootId.Value) && m.DeletedAt == null)
            .GroupBy(m => new { Root = m.ThreadRootId!.Value, m.AuthorId })
            .Select(g => new { g.Key.Root, Count = g.Count(), First = g.Min(m => m.Sequence), Last = g.Max(m => m.CreatedAt) })
            .ToListAsync(cancellationToken);
        if (repliers.Count == 0)
        {
            return [];
        }
        // Names of the first repliers, in the order they joined the thread.
        var firstIds = repliers.GroupBy(r => r.Root).SelectMany(g => g.OrderBy(r => r.First).Take(ThreadSummary.ShownParticipants).Select(r => r.First)).ToList();
        var names = await db.Messages.AsNoTracking()
            .Where(m => m.ThreadRootId != null && rootIds.Contains(m.ThreadRootId.Value) && firstIds.Contains(m.Sequence))
            .Select(m => new { Root = m.ThreadRootId!.Value, m.Sequence, Name = m.Author != null ? m.Author.DisplayName : ChatMessage.DeletedUserName })
            .ToListAsync(cancellationToken);
        return repliers.GroupBy(r => r.Root).ToDictionary(g => g.Key, g => new ThreadSummary(
            g.Sum(r => r.Count),
            g.Max(r => r.Last),
            [.. names.Where(n => n.Root == g.Key).OrderBy(n => n.Sequence).Select(n => n.Name).Distinct().Take(ThreadSummary.ShownParticipants)]));
    }

    public static async Task<Dictionary<long, IReadOnlyList<ReactionSummary>>> LoadReactionsAsync(ApplicationDbContext db, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.MessageReactions.AsNoTracking()
            .Where(r => ids.Contains(r.MessageId))
            .OrderBy(r => r.CreatedAt)
            .Select(r => new { r.MessageId, r.Emoji, r.UserId, r.User.DisplayName })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.MessageId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<ReactionSummary>)[.. g.GroupBy(r => r.Emoji).Select(e => new ReactionSummary(e.Key, [.. e.Select(r => r.UserId)], [.. e.Select(r => r.DisplayName)]))]);
    }
}
