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
    SendRateLimiter rateLimiter,
    ChatApp.Security.AdminRoster admins,
    ChatApp.Security.AuditLog audit,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    public const string SlowDown = "You are sending messages too fast. Wait a moment, then send again.";

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
        var page = await Project(db.Messages.Where(m => m.RoomId == roomId && m.Sequence < beforeSequence).OrderByDescending(m => m.Sequence))
            .Take(options.Value.HistoryPageSize)
            .ToListAsync(cancellationToken);
        page.Reverse();
        return page;
    }

    /// <summary>Catch-up: every message after a sequence, oldest first, including edits and deletions since.</summary>
    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string userId, int roomId, long afterSequence, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Project(db.Messages.Where(m => m.RoomId == roomId && m.Sequence > afterSequence).OrderBy(m => m.Sequence))
            .Take(1000)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Stores the message (author = the signed-in user) and only then publishes it. The sequence comes from
    /// the room row, incremented inside the same transaction, so order equals commit order.
    /// </summary>
    public async Task<ChatResult<ChatMessage>> SendAsync(ChatUser author, int roomId, string? text, Guid clientId, CancellationToken cancellationToken = default)
    {
        if (MessageRules.Check(text, options.Value.MaxMessageLength) is { } problem)
        {
            return ChatResult<ChatMessage>.Fail(problem);
        }
        if (!await membership.CanReadAsync(author.Id, roomId))
        {
            return ChatResult<ChatMessage>.Fail(ChatResult.RoomNotFound);
        }
        if (await CheckPostingAsync(author.Id, roomId) is { } refusal)
        {
            return ChatResult<ChatMessage>.Fail(refusal);
        }
        if (!rateLimiter.TryAcquire(author.Id))
        {
            return ChatResult<ChatMessage>.Fail(SlowDown);
        }

        if (await FindByClientIdAsync(author.Id, clientId, cancellationToken) is { } existing)
        {
            return ChatResult<ChatMessage>.Success(ChatMessage.From(existing, author.DisplayName));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var message = new Message
        {
            RoomId = roomId,
            AuthorId = author.Id,
            ClientId = clientId,
            Text = MessageRules.Normalize(text),
            CreatedAt = now,
        };
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.LastSequence, r => r.LastSequence + 1).SetProperty(r => r.LastMessageAt, now),
                cancellationToken);
            message.Sequence = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSequence).SingleAsync(cancellationToken);
            db.Messages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            // The author has read their own message.
            await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == author.Id && m.LastReadSequence < message.Sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSequence, message.Sequence), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same submission raced itself; the unique (author, client id) index kept one.
            var stored = await FindByClientIdAsync(author.Id, clientId, cancellationToken);
            if (stored is null)
            {
                throw;
            }
            return ChatResult<ChatMessage>.Success(ChatMessage.From(stored, author.DisplayName));
        }

        var posted = ChatMessage.From(message, author.DisplayName);
        lastTyping.TryRemove((author.Id, roomId), out _);
        notifier.Publish(new MessagePosted(posted));
        notifier.Publish(new ReadMarkerMoved(author.Id, roomId, posted.Sequence));
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
        notifier.Publish(new MessageDeleted(message.RoomId, message.Id, message.Sequence, message.AuthorId, byModerator));
        if (byModerator)
        {
            await audit.WriteAsync(ChatApp.Data.AuditActions.MessageRemoved, new ChatApp.Security.AuditActor(user.Id, user.DisplayName, ipAddress),
                message.AuthorId, $"message {message.Id} in room {message.RoomId}", removedText.Length <= 200 ? removedText : removedText[..200] + "…");
        }
        return ChatResult.Ok;
    }

    /// <summary>Why the user may not post in this room right now (read-only, archived, muted), or null.</summary>
    public async Task<string?> CheckPostingAsync(string userId, int roomId)
    {
        var room = await membership.GetStateAsync(roomId);
        if (room is not null && (room.IsArchived || room.IsReadOnly) && !await admins.IsAdminAsync(userId))
        {
            return room.IsArchived ? "This room is archived: it can be read but not posted to." : "This room is read-only: only admins post here.";
        }
        if (await GetMutedUntilAsync(userId, roomId) is { } until)
        {
            return $"A moderator muted you in this room until {until:yyyy-MM-dd HH:mm} UTC.";
        }
        return null;
    }

    public async Task<DateTime?> GetMutedUntilAsync(string userId, int roomId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var until = await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId).Select(m => m.MutedUntil).FirstOrDefaultAsync();
        return until > time.GetUtcNow().UtcDateTime ? until : null;
    }

    /// <summary>Moves the user's read marker forward (never back).</summary>
    public async Task MarkReadAsync(string userId, int roomId, long sequence, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var last = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSequence).FirstOrDefaultAsync(cancellationToken);
        sequence = Math.Min(sequence, last);
        var moved = await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId && m.LastReadSequence < sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSequence, sequence), cancellationToken);
        if (moved > 0)
        {
            notifier.Publish(new ReadMarkerMoved(userId, roomId, sequence));
        }
    }

    /// <summary>Unread messages of one room for one user: after the read marker, not deleted, not their own.</summary>
    public async Task<int> CountUnreadAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId)
            .Select(m => db.Messages.Count(x => x.RoomId == roomId && x.Sequence > m.LastReadSequence && x.DeletedAt == null && x.AuthorId != userId))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Publishes "is typing" to the room's members, at most every two seconds per user and room.</summary>
    public async Task NotifyTypingAsync(ChatUser user, int roomId)
    {
        if (!await membership.CanReadAsync(user.Id, roomId))
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

    private async Task<Message?> FindByClientIdAsync(string authorId, Guid clientId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.AuthorId == authorId && m.ClientId == clientId, cancellationToken);
    }

    private static IQueryable<ChatMessage> Project(IQueryable<Message> messages) =>
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
            m.RemovedByModerator));
}
