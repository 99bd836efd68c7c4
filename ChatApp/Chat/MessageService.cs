using System.Collections.Concurrent;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>Sends, edits, deletes and reads messages; every call is authorized through <see cref="RoomMembership"/>.</summary>
public sealed class MessageService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    IChatNotifier notifier,
    PostingRules postingRules,
    AdminRoster admins,
    ChatApp.Data.AuditLog audit,
    AttachmentService attachments,
    MessageWriter writer,
    ThreadService threads,
    ChatApp.Chat.ChatMetrics metrics,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<MessageService> logger) : IRoomHistory
{
    public const string SlowDown = PostingRules.SlowDown;

    public const string MissingAttachment = "An attachment is missing; upload it again.";

    public const string StorageUnavailable = "The message could not be stored: the database did not answer. It is still here; send it again in a moment.";

    private static readonly TimeSpan TypingPublishInterval = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<(string UserId, int RoomId), long> lastTyping = new();

    /// <summary>The newest messages of a room, oldest first.</summary>
    public Task<IReadOnlyList<ChatMessage>> GetLatestAsync(string userId, int roomId, CancellationToken cancellationToken = default) =>
        GetBeforeAsync(userId, roomId, long.MaxValue, cancellationToken);

    /// <summary>One page of older history before a sequence (keyset paging: no gaps, no duplicates).</summary>
    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string userId, int roomId, long beforeSequence, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await MessageProjection.Project(db.Messages.Where(m => m.RoomId == roomId && m.Sequence < beforeSequence).OrderByDescending(m => m.Sequence))
            .Take(options.Value.HistoryPageSize)
            .ToListAsync(cancellationToken);
        page.Reverse();
        return await MessageProjection.EnrichAsync(db, page, cancellationToken);
    }

    /// <summary>Catch-up: every message after a sequence (at most <paramref name="take"/>), oldest first, including edits and deletions since.</summary>
    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string userId, int roomId, long afterSequence, CancellationToken cancellationToken = default, int take = MaxCatchUp)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await MessageProjection.Project(db.Messages.Where(m => m.RoomId == roomId && m.Sequence > afterSequence).OrderBy(m => m.Sequence))
            .Take(Math.Clamp(take, 1, MaxCatchUp))
            .ToListAsync(cancellationToken);
        return await MessageProjection.EnrichAsync(db, page, cancellationToken);
    }

    /// <summary>Most messages one catch-up (or jump to an old message) loads at once.</summary>
    public const int MaxCatchUp = 1000;

    /// <summary>
    /// Stores the message (author = the signed-in user) and only then publishes it. The sequence comes from
    /// the room row, incremented inside the same transaction, so order equals commit order.
    /// </summary>
    public async Task<ChatResult<ChatMessage>> SendAsync(ChatUser author, int roomId, string? text, Guid clientId, CancellationToken cancellationToken = default) =>
        await SendAsync(author, roomId, text, clientId, new SendOptions(), cancellationToken);

    /// <summary>A reply target, uploaded attachments and the thread (and whether also to the room) to send a message with.</summary>
    public sealed record SendOptions(long? ReplyToId = null, IReadOnlyList<Guid>? AttachmentIds = null, long? ThreadRootId = null, bool AlsoInRoom = false);

    /// <remarks>
    /// The database being unreachable is an answer, not a crash: the sender is told, keeps the text, and the
    /// same client id makes a later retry store the message once.
    /// </remarks>
    public async Task<ChatResult<ChatMessage>> SendAsync(ChatUser author, int roomId, string? text, Guid clientId, SendOptions send, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendStoredAsync(author, roomId, text, clientId, send, cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
        {
            logger.LogError(exception, "Could not store a message of {UserId} in room {RoomId}: the database did not answer", author.Id, roomId);
            return ChatResult<ChatMessage>.Fail(StorageUnavailable);
        }
    }

    private async Task<ChatResult<ChatMessage>> SendStoredAsync(ChatUser author, int roomId, string? text, Guid clientId, SendOptions send, CancellationToken cancellationToken)
    {
        var attachmentIds = send.AttachmentIds ?? [];
        // A message may be only attachments; otherwise it needs text.
        if ((attachmentIds.Count == 0 || !MessageRules.IsBlank(text)) && MessageRules.Check(text, options.Value.MaxMessageLength) is { } problem)
        {
            if (MessageRules.Normalize(text).Length > options.Value.MaxMessageLength)
            {
                metrics.SendRefused(ChatApp.Chat.SendRefusal.TooLong);
            }
            return ChatResult<ChatMessage>.Fail(problem);
        }
        if (!await membership.CanReadAsync(author.Id, roomId))
        {
            return ChatResult<ChatMessage>.Fail(ChatResult.RoomNotFound);
        }
        if (await postingRules.AuthorizeWriteAsync(author.Id, roomId) is { } refusal)
        {
            metrics.SendRefused(PostingRules.ReasonOf(refusal));
            return ChatResult<ChatMessage>.Fail(refusal);
        }

        // A resubmitted client id is not looked up first: the unique (author, client id) index refuses the
        // second insert and the catch below returns the stored message, so the common case costs no query.

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        ReplySnippet? replyTo = null;
        if (send.ReplyToId is { } replyToId)
        {
            replyTo = await db.Messages.AsNoTracking()
                .Where(m => m.Id == replyToId && m.RoomId == roomId)
                .Select(m => new ReplySnippet(m.Id, m.Sequence, m.Author != null ? m.Author.DisplayName : ChatMessage.DeletedUserName,
                    m.DeletedAt == null ? (m.Text.Length > ReplySnippet.Length ? m.Text.Substring(0, ReplySnippet.Length) + "…" : m.Text) : "", m.DeletedAt != null))
                .FirstOrDefaultAsync(cancellationToken);
            if (replyTo is null)
            {
                return ChatResult<ChatMessage>.Fail("The message you are replying to is not in this room.");
            }
        }
        if (send.ThreadRootId is { } rootId && await ThreadService.CheckRootAsync(db, roomId, rootId, cancellationToken) is { } threadProblem)
        {
            return ChatResult<ChatMessage>.Fail(threadProblem);
        }
        var attachmentInfos = attachmentIds.Count == 0 ? [] : await db.Attachments.AsNoTracking()
            .Where(a => attachmentIds.Contains(a.Id) && a.UploaderId == author.Id && a.MessageId == null)
            .Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Size))
            .ToListAsync(cancellationToken);
        if (attachmentInfos.Count != attachmentIds.Count)
        {
            return ChatResult<ChatMessage>.Fail(MissingAttachment);
        }

        return await StoreAsync(db, author, roomId, MessageRules.Normalize(text), clientId, send, replyTo, attachmentInfos, cancellationToken);
    }

    /// <summary>
    /// Posts a webhook's message as its bot, through the same writer and notifier as people's messages. The caller
    /// authenticated the webhook and took its rate; the room must still exist and be open for posting.
    /// </summary>
    public async Task<ChatResult<ChatMessage>> PostAsBotAsync(ChatUser bot, int roomId, string? text, CancellationToken cancellationToken = default)
    {
        if (MessageRules.Check(text, options.Value.MaxMessageLength) is { } problem)
        {
            return ChatResult<ChatMessage>.Fail(problem);
        }
        if (await membership.GetStateAsync(roomId) is null)
        {
            return ChatResult<ChatMessage>.Fail(ChatResult.RoomNotFound);
        }
        if (await postingRules.CheckAsync(bot.Id, roomId) is { } refusal)
        {
            return ChatResult<ChatMessage>.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await StoreAsync(db, bot, roomId, MessageRules.Normalize(text), Guid.NewGuid(), new SendOptions(), null, [], cancellationToken, isBot: true);
    }

    private async Task<ChatResult<ChatMessage>> StoreAsync(ApplicationDbContext db, ChatUser author, int roomId, string normalized, Guid clientId,
        SendOptions send, ReplySnippet? replyTo, IReadOnlyList<AttachmentInfo> attachmentInfos, CancellationToken cancellationToken, bool isBot = false)
    {
        var attachmentIds = send.AttachmentIds ?? [];
        // Mentions need the members' names; most messages have no "@" and skip loading them.
        var (mentioned, mentionsRoom) = normalized.Contains('@')
            ? MessageFormatter.ExtractMentions(normalized, await db.RoomMembers.Where(m => m.RoomId == roomId)
                .Select(m => new { m.UserId, m.User.DisplayName })
                .ToDictionaryAsync(m => m.DisplayName, m => m.UserId, StringComparer.OrdinalIgnoreCase, cancellationToken))
            : ((IReadOnlySet<string>)new HashSet<string>(), false);

        var message = new Message
        {
            RoomId = roomId,
            AuthorId = author.Id,
            ClientId = clientId,
            Text = normalized,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ReplyToId = send.ReplyToId,
            ThreadRootId = send.ThreadRootId,
            AlsoInRoom = send.ThreadRootId is not null && send.AlsoInRoom,
            MentionsRoom = mentionsRoom,
            Mentions = [.. mentioned.Where(id => id != author.Id).Select(id => new MessageMention { UserId = id })],
        };
        ChatMessage? posted = null;
        try
        {
            // Committed together with whatever else is being sent now; published (in commit order) before this returns.
            await writer.InsertAsync(message, attachmentIds, stored =>
            {
                posted = ChatMessage.From(stored, author.DisplayName) with
                {
                    ReplyTo = replyTo,
                    MentionedUserIds = [.. stored.Mentions.Select(m => m.UserId)],
                    MentionsRoom = stored.MentionsRoom,
                    Attachments = attachmentInfos,
                    IsBot = isBot,
                };
                notifier.Publish(new MessagePosted(posted));
            });
        }
        catch (AttachmentMissingException)
        {
            return ChatResult<ChatMessage>.Fail(MissingAttachment);
        }
        catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException)
        {
            // A resubmission (retry after a lost ack, or a race with itself): the unique (author, client id) index kept one.
            var stored = await FindByClientIdAsync(author.Id, clientId, cancellationToken);
            if (stored is null)
            {
                throw;
            }
            return ChatResult<ChatMessage>.Success(ChatMessage.From(stored, author.DisplayName));
        }

        lastTyping.TryRemove((author.Id, roomId), out _);
        if (posted!.InRoom)
        {
            notifier.Publish(new ReadMarkerMoved(author.Id, roomId, posted.Sequence));
        }
        if (posted.ThreadRootId is { } thread)
        {
            await threads.PublishSummaryAsync(roomId, thread, cancellationToken);
        }
        return ChatResult<ChatMessage>.Success(posted);
    }

    public async Task<ChatResult> EditAsync(ChatUser editor, long messageId, string? text, CancellationToken cancellationToken = default)
    {
        if (MessageRules.Check(text, options.Value.MaxMessageLength) is { } problem)
        {
            return ChatResult.Fail(problem);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (message is null || message.DeletedAt is not null || !await membership.CanReadAsync(editor.Id, message.RoomId))
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        if (message.AuthorId != editor.Id)
        {
            return ChatResult.Fail("You can only edit your own messages.");
        }
        if (await postingRules.AuthorizeWriteAsync(editor.Id, message.RoomId) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        message.Text = MessageRules.Normalize(text);
        message.EditedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        notifier.Publish(new MessageEdited(ChatMessage.From(message, editor.DisplayName)));
        return ChatResult.Ok;
    }

    /// <summary>
    /// Deletes the text but keeps the row, so sequences stay dense and everyone sees "message deleted". Admins
    /// may remove anyone's message in a room they can read ("removed by a moderator", audited).
    /// </summary>
    public async Task<ChatResult> DeleteAsync(ChatUser user, long messageId, string? ipAddress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (message is null || message.DeletedAt is not null || !await membership.CanReadAsync(user.Id, message.RoomId))
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        var byModerator = message.AuthorId != user.Id;
        if (byModerator && !await admins.IsAdminAsync(user.Id))
        {
            return ChatResult.Fail("You can only delete your own messages.");
        }
        var removedText = message.Text;
        message.Text = "";
        message.DeletedAt = time.GetUtcNow().UtcDateTime;
        message.RemovedByModerator = byModerator;
        await db.SaveChangesAsync(cancellationToken);
        await attachments.DeleteForMessageAsync(message.Id, cancellationToken);
        notifier.Publish(new MessageDeleted(message.RoomId, message.Id, message.Sequence, message.AuthorId, byModerator));
        if (message.ThreadRootId is { } thread)
        {
            await threads.PublishSummaryAsync(message.RoomId, thread, cancellationToken);
        }
        if (byModerator)
        {
            await audit.WriteAsync(ChatApp.Data.AuditActions.MessageRemoved, new ChatApp.Data.AuditActor(user.Id, user.DisplayName, ipAddress),
                message.AuthorId, $"message {message.Id} in room {message.RoomId}", removedText.Length <= 200 ? removedText : removedText[..200] + "…");
        }
        return ChatResult.Ok;
    }

    /// <summary>Why the user may not post in this room right now (read-only, archived, muted), or null.</summary>
    public Task<string?> CheckPostingAsync(string userId, int roomId) => postingRules.CheckAsync(userId, roomId);

    /// <summary>Moves the user's read marker forward (never back).</summary>
    /// <param name="fromTab">The tab that read (it already shows the move and skips the event), or null.</param>
    public async Task MarkReadAsync(string userId, int roomId, long sequence, Guid? fromTab = null)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return;
        }
        if (await writer.MoveReadMarkerAsync(userId, roomId, sequence) is { } moved)
        {
            notifier.Publish(new ReadMarkerMoved(userId, roomId, moved, fromTab));
        }
    }

    /// <summary>Unread messages of one room for one user: after the read marker, not deleted, not their own.</summary>
    public async Task<int> CountUnreadAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .Select(m => db.Messages.Count(x => x.RoomId == roomId && x.Sequence > m.LastReadSequence && x.DeletedAt == null && x.AuthorId != userId
                && (x.ThreadRootId == null || x.AlsoInRoom)))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes "is typing" to the room's members, at most every two seconds per user and room, and not in big rooms
    /// (<see cref="ChatOptions.BigRoomMembers"/>): there it would reach everyone for every message.
    /// </summary>
    public async Task NotifyTypingAsync(ChatUser user, int roomId)
    {
        if (!await membership.CanReadAsync(user.Id, roomId)
            || (await membership.GetStateAsync(roomId))?.Members.Count > options.Value.BigRoomMembers)
        {
            return;
        }
        var now = time.GetTimestamp();
        var last = lastTyping.GetOrAdd((user.Id, roomId), 0);
        if (last != 0 && time.GetElapsedTime(last, now) < TypingPublishInterval)
        {
            return;
        }
        lastTyping[(user.Id, roomId)] = now;
        notifier.Publish(new UserTyping(roomId, user.Id, user.DisplayName));
    }

    /// <summary>Messages that mention the user (by name or @room) in rooms they can read now, newest first.</summary>
    public async Task<IReadOnlyList<(ChatMessage Message, string RoomName, RoomKind Kind)>> GetMentionsAsync(string userId, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        var rooms = (await membership.RoomsOfAsync(userId)).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Messages.Where(m => rooms.Contains(m.RoomId) && m.DeletedAt == null && m.AuthorId != userId
            && (m.MentionsRoom || m.Mentions.Any(x => x.UserId == userId)));
        var page = await MessageProjection.Project(query.OrderByDescending(m => m.Id)).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var names = await db.Rooms.Where(r => rooms.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => (r.Name, r.Kind), cancellationToken);
        var enriched = await MessageProjection.EnrichAsync(db, page, cancellationToken);
        return [.. enriched.Select(m => (m, names[m.RoomId].Name, names[m.RoomId].Kind))];
    }

    /// <summary>Unread mentions of the user in one room (after the read marker).</summary>
    public async Task<int> CountUnreadMentionsAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .Select(m => db.Messages.Count(x => x.RoomId == roomId && x.Sequence > m.LastReadSequence && x.DeletedAt == null
                && x.AuthorId != userId && (x.ThreadRootId == null || x.AlsoInRoom) && (x.MentionsRoom || x.Mentions.Any(y => y.UserId == userId))))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<Message?> FindByClientIdAsync(string authorId, Guid clientId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.AuthorId == authorId && m.ClientId == clientId, cancellationToken);
    }
}
