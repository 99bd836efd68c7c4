using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>A pinned message as the room's Pinned panel lists it.</summary>
public sealed record PinnedEntry(ChatMessage Message, string PinnedByName, DateTime PinnedAt);

/// <summary>
/// Pins messages to their room and lists them. Anyone who can read the room sees its pins; who may pin is the room's
/// setting (every member, or moderators only). Every call checks the reader's access through
/// <see cref="RoomMembership"/> at that moment, so pins vanish for people who lose access, and a message in a room
/// the caller cannot read answers like one that does not exist. Pins of deleted messages are never shown.
/// </summary>
public sealed class PinService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    PostingRules postingRules,
    AdminRoster admins,
    IChatNotifier notifier,
    AuditLog audit,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    public const string ModeratorsOnly = "Only moderators pin messages in this room.";

    public string TooMany => $"This room already has {options.Value.MaxPinnedPerRoom} pinned messages, the most it may have: unpin one first.";

    /// <summary>Moderators are the app's admins: the people who may remove messages and mute members.</summary>
    public Task<bool> IsModeratorAsync(string userId) => admins.IsAdminAsync(userId);

    public async Task<ChatResult> PinAsync(ChatUser user, long messageId, string? ipAddress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await AuthorizeAsync(db, user, messageId, cancellationToken) is not { } message)
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        if (message.Refusal is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        if (await db.PinnedMessages.AnyAsync(p => p.MessageId == messageId, cancellationToken))
        {
            return ChatResult.Ok;
        }
        if (await CountAsync(db, message.RoomId, cancellationToken) >= options.Value.MaxPinnedPerRoom)
        {
            return ChatResult.Fail(TooMany);
        }
        db.PinnedMessages.Add(new PinnedMessage { MessageId = messageId, RoomId = message.RoomId, PinnedById = user.Id, PinnedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two people pinned it at once; it is pinned.
            db.ChangeTracker.Clear();
            if (await db.PinnedMessages.AsNoTracking().AnyAsync(p => p.MessageId == messageId, cancellationToken))
            {
                return ChatResult.Ok;
            }
            throw;
        }
        notifier.Publish(new PinChanged(message.RoomId, messageId, message.Sequence, Pinned: true));
        await audit.WriteAsync(AuditActions.MessagePinned, new AuditActor(user.Id, user.DisplayName, ipAddress), message.RoomId.ToString(), $"message {messageId}");
        return ChatResult.Ok;
    }

    public async Task<ChatResult> UnpinAsync(ChatUser user, long messageId, string? ipAddress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await AuthorizeAsync(db, user, messageId, cancellationToken) is not { } message)
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        if (message.Refusal is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        if (await db.PinnedMessages.Where(p => p.MessageId == messageId).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            notifier.Publish(new PinChanged(message.RoomId, messageId, message.Sequence, Pinned: false));
            await audit.WriteAsync(AuditActions.MessageUnpinned, new AuditActor(user.Id, user.DisplayName, ipAddress), message.RoomId.ToString(), $"message {messageId}");
        }
        return ChatResult.Ok;
    }

    /// <summary>The room's pinned messages, newest pin first; empty for a room the reader cannot read now.</summary>
    public async Task<IReadOnlyList<PinnedEntry>> GetPinnedAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pins = await Shown(db, roomId)
            .OrderByDescending(p => p.PinnedAt).ThenByDescending(p => p.MessageId)
            .Take(options.Value.MaxPinnedPerRoom)
            .Select(p => new { p.MessageId, p.PinnedAt, PinnedBy = p.PinnedBy != null ? p.PinnedBy.DisplayName : ChatMessage.DeletedUserName })
            .ToListAsync(cancellationToken);
        var ids = pins.Select(p => p.MessageId).ToList();
        var messages = await MessageProjection.Project(db.Messages.Where(m => ids.Contains(m.Id))).ToDictionaryAsync(m => m.Id, cancellationToken);
        return [.. pins.Select(p => new PinnedEntry(messages[p.MessageId] with { IsPinned = true }, p.PinnedBy, p.PinnedAt))];
    }

    /// <summary>Whether only moderators pin in this room; null for a room the reader cannot read now.</summary>
    public async Task<bool?> OnlyModeratorsPinAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.Where(r => r.Id == roomId).Select(r => (bool?)r.OnlyModeratorsPin).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Moderators choose who pins in a room they can read: everyone, or moderators only. Audited.</summary>
    public async Task<ChatResult> SetOnlyModeratorsPinAsync(ChatUser user, int roomId, bool onlyModerators, string? ipAddress = null, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(user.Id, roomId))
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        if (!await admins.IsAdminAsync(user.Id))
        {
            return ChatResult.Fail("Only moderators choose who pins messages.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(s => s.SetProperty(r => r.OnlyModeratorsPin, onlyModerators), cancellationToken);
        await audit.WriteAsync(AuditActions.PinSetting, new AuditActor(user.Id, user.DisplayName, ipAddress), roomId.ToString(), null,
            onlyModerators ? "moderators only" : "every member");
        return ChatResult.Ok;
    }

    private sealed record Target(int RoomId, long Sequence, string? Refusal);

    /// <summary>
    /// The message, if it exists, is not deleted and the user can read its room now (otherwise null, the same answer
    /// as for a message that does not exist); with why this user may not pin there, if they may not.
    /// </summary>
    private async Task<Target?> AuthorizeAsync(ApplicationDbContext db, ChatUser user, long messageId, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.Id == messageId && m.DeletedAt == null)
            .Select(m => new { m.RoomId, m.Sequence, m.Room.OnlyModeratorsPin })
            .FirstOrDefaultAsync(cancellationToken);
        if (message is null || !await membership.CanReadAsync(user.Id, message.RoomId))
        {
            return null;
        }
        var refusal = message.OnlyModeratorsPin && !await admins.IsAdminAsync(user.Id)
            ? ModeratorsOnly
            : await postingRules.AuthorizeWriteAsync(user.Id, message.RoomId);
        return new Target(message.RoomId, message.Sequence, refusal);
    }

    /// <summary>The room's pins that are shown: those of messages not deleted.</summary>
    private static IQueryable<PinnedMessage> Shown(ApplicationDbContext db, int roomId) =>
        db.PinnedMessages.Where(p => p.RoomId == roomId && p.Message.DeletedAt == null);

    private static Task<int> CountAsync(ApplicationDbContext db, int roomId, CancellationToken cancellationToken) =>
        Shown(db, roomId).CountAsync(cancellationToken);
}
