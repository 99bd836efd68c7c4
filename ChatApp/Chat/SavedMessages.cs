using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>A saved message as the Saved panel lists it: where it was said, and when it was saved.</summary>
public sealed record SavedEntry(ChatMessage Message, string RoomName, RoomKind Kind, DateTime SavedAt);

/// <summary>
/// Each person's private list of saved messages. Saving needs read access to the message's room now, and a message
/// in a room the caller cannot read answers like one that does not exist. The list and its count keep only messages
/// of rooms the reader can read at the moment of reading (as search does) and not deleted, so saved messages vanish
/// for people who lose access.
/// </summary>
public sealed class SavedMessages(IDbContextFactory<ApplicationDbContext> dbFactory, RoomMembership membership, IChatNotifier notifier, IOptions<ChatOptions> options, TimeProvider time)
{
    public string TooMany => $"You already have {options.Value.MaxSavedMessages} saved messages, the most you may have: remove some first.";

    public async Task<ChatResult> SaveAsync(ChatUser user, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindReadableAsync(db, user.Id, messageId, cancellationToken) is not { } message)
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        if (await db.SavedMessages.AnyAsync(s => s.UserId == user.Id && s.MessageId == messageId, cancellationToken))
        {
            return ChatResult.Ok;
        }
        if (await db.SavedMessages.CountAsync(s => s.UserId == user.Id, cancellationToken) >= options.Value.MaxSavedMessages)
        {
            return ChatResult.Fail(TooMany);
        }
        db.SavedMessages.Add(new SavedMessage { UserId = user.Id, MessageId = messageId, SavedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Saved from two tabs at once; it is saved.
            db.ChangeTracker.Clear();
            if (await db.SavedMessages.AsNoTracking().AnyAsync(s => s.UserId == user.Id && s.MessageId == messageId, cancellationToken))
            {
                return ChatResult.Ok;
            }
            throw;
        }
        notifier.Publish(new SavedChanged(user.Id, message.RoomId, message.Sequence, Saved: true));
        return ChatResult.Ok;
    }

    public async Task<ChatResult> UnsaveAsync(ChatUser user, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindReadableAsync(db, user.Id, messageId, cancellationToken) is not { } message)
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        if (await db.SavedMessages.Where(s => s.UserId == user.Id && s.MessageId == messageId).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            notifier.Publish(new SavedChanged(user.Id, message.RoomId, message.Sequence, Saved: false));
        }
        return ChatResult.Ok;
    }

    /// <summary>The reader's saved messages in rooms they can read now, newest saved first.</summary>
    public async Task<IReadOnlyList<SavedEntry>> GetSavedAsync(string userId, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        var rooms = (await membership.RoomsOfAsync(userId)).ToList();
        if (rooms.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var saved = await Shown(db, userId, rooms)
            .OrderByDescending(s => s.SavedAt).ThenByDescending(s => s.MessageId)
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 100))
            .Select(s => new { s.MessageId, s.SavedAt })
            .ToListAsync(cancellationToken);
        var ids = saved.Select(s => s.MessageId).ToList();
        var messages = await MessageProjection.Project(db.Messages.Where(m => ids.Contains(m.Id))).ToDictionaryAsync(m => m.Id, cancellationToken);
        var roomIds = messages.Values.Select(m => m.RoomId).Distinct().ToList();
        var names = await db.Rooms.Where(r => roomIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => new { r.Name, r.Kind }, cancellationToken);
        return [.. saved.Select(s => messages[s.MessageId] with { IsSaved = true })
            .Zip(saved, (message, s) => new SavedEntry(message, names[message.RoomId].Name, names[message.RoomId].Kind, s.SavedAt))];
    }

    /// <summary>How many saved messages the reader has in rooms they can read now.</summary>
    public async Task<int> CountSavedAsync(string userId, CancellationToken cancellationToken = default)
    {
        var rooms = (await membership.RoomsOfAsync(userId)).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return rooms.Count == 0 ? 0 : await Shown(db, userId, rooms).CountAsync(cancellationToken);
    }

    private async Task<(int RoomId, long Sequence)?> FindReadableAsync(ApplicationDbContext db, string userId, long messageId, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.Id == messageId && m.DeletedAt == null)
            .Select(m => new { m.RoomId, m.Sequence })
            .FirstOrDefaultAsync(cancellationToken);
        return message is not null && await membership.CanReadAsync(userId, message.RoomId) ? (message.RoomId, message.Sequence) : null;
    }

    private static IQueryable<SavedMessage> Shown(ApplicationDbContext db, string userId, List<int> rooms) =>
        db.SavedMessages.Where(s => s.UserId == userId && s.Message.DeletedAt == null && rooms.Contains(s.Message.RoomId));
}
