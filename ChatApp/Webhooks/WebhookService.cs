using ChatApp.Admin;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Webhooks;

public sealed record WebhookRow(int Id, string Name, string? CreatedByName, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>A webhook just created; <see cref="Token"/> exists only in this object and the URL shown once.</summary>
public sealed record CreatedWebhook(int Id, string Name, string Token)
{
    public string Path => $"hooks/{Id}/{Token}";
}

public sealed record WebhookRoom(int Id, string Name, RoomKind Kind, bool OwnerManagesWebhooks, string? OwnerName);

/// <summary>A webhook whose secret was verified: the room it posts to and its bot.</summary>
public sealed record WebhookBot(int WebhookId, int RoomId, ChatUser Bot);

/// <summary>
/// Creates, lists and revokes a room's incoming webhooks, authorized on every call: admins, or the room's creator
/// while an admin lets owners manage that room's webhooks and they are still a member. Anyone else, and any room
/// or webhook they may not manage, gets the same "not found" as for one that does not exist.
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    AdminGuard adminGuard,
    AuditLog audit,
    TimeProvider time)
{
    public const string NotFound = "Webhook not found.";

    public const string NameTaken = "That name is taken by a person or another bot; choose another.";

    /// <summary>Whether the actor may manage this room's webhooks right now.</summary>
    public async Task<bool> CanManageAsync(AuditActor actor, int roomId)
    {
        var room = await membership.GetStateAsync(roomId);
        if (actor.Id is null || room is null || room.Kind == RoomKind.Direct)
        {
            return false;
        }
        if (await adminGuard.RefuseAsync(actor) is null)
        {
            return true;
        }
        if (room.IsArchived || !room.Members.Contains(actor.Id))
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Rooms.AnyAsync(r => r.Id == roomId && r.OwnerManagesWebhooks && r.CreatedById == actor.Id);
    }

    /// <summary>The room's webhooks that are not revoked, newest first.</summary>
    public async Task<ChatResult<IReadOnlyList<WebhookRow>>> ListAsync(AuditActor actor, int roomId, CancellationToken cancellationToken = default)
    {
        if (!await CanManageAsync(actor, roomId))
        {
            return ChatResult<IReadOnlyList<WebhookRow>>.Fail(ChatResult.RoomNotFound);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Webhooks.AsNoTracking()
            .Where(w => w.RoomId == roomId && w.RevokedAt == null)
            .OrderByDescending(w => w.Id)
            .Select(w => new WebhookRow(w.Id, w.BotUser.DisplayName,
                db.Users.Where(u => u.Id == w.CreatedById).Select(u => u.DisplayName).FirstOrDefault(), w.CreatedAt, w.LastUsedAt))
            .ToListAsync(cancellationToken);
        return ChatResult<IReadOnlyList<WebhookRow>>.Success(rows);
    }

    /// <summary>
    /// Creates the webhook and its bot. The bot's name passes the display name rules and is unique by how it looks
    /// among people and bots alike, so a person cannot pass for the bot, nor the bot for a person.
    /// </summary>
    public async Task<ChatResult<CreatedWebhook>> CreateAsync(AuditActor actor, int roomId, string? name)
    {
        if (!await CanManageAsync(actor, roomId))
        {
            return ChatResult<CreatedWebhook>.Fail(ChatResult.RoomNotFound);
        }
        if (DisplayNameRules.Check(name) is { } problem)
        {
            return ChatResult<CreatedWebhook>.Fail(problem.Replace("Display name", "The bot's name", StringComparison.Ordinal));
        }
        var bot = new ApplicationUser
        {
            DisplayName = name!,
            UserName = $"bot-{Guid.NewGuid():N}",
            SecurityStamp = Guid.NewGuid().ToString("N"),
            IsBot = true,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        bot.NormalizedUserName = bot.UserName.ToUpperInvariant();
        var skeleton = DisplayNameRules.Apply(bot);
        var (token, hash) = WebhookSecret.Create();
        var webhook = new Webhook { RoomId = roomId, BotUserId = bot.Id, TokenHash = hash, CreatedById = actor.Id, CreatedAt = bot.CreatedAt };

        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Users.AnyAsync(u => u.NormalizedDisplayName == bot.NormalizedDisplayName || u.DisplayNameSkeleton == skeleton))
        {
            return ChatResult<CreatedWebhook>.Fail(NameTaken);
        }
        db.Users.Add(bot);
        db.Webhooks.Add(webhook);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Someone took the name (or its look-alike) meanwhile: the unique indexes decided.
            return ChatResult<CreatedWebhook>.Fail(NameTaken);
        }
        var roomName = (await membership.GetStateAsync(roomId))?.Name;
        await audit.WriteAsync(AuditActions.WebhookCreated, actor, webhook.Id.ToString(), bot.DisplayName, $"in #{roomName}");
        return ChatResult<CreatedWebhook>.Success(new CreatedWebhook(webhook.Id, bot.DisplayName, token));
    }

    /// <summary>Revokes the webhook at once: its URL answers 404 from now on; its messages stay, under the bot's name.</summary>
    public async Task<ChatResult> RevokeAsync(AuditActor actor, int webhookId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var webhook = await db.Webhooks.Include(w => w.BotUser).FirstOrDefaultAsync(w => w.Id == webhookId && w.RevokedAt == null);
        if (webhook is null || !await CanManageAsync(actor, webhook.RoomId))
        {
            return ChatResult.Fail(NotFound);
        }
        webhook.RevokedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync();
        var roomName = (await membership.GetStateAsync(webhook.RoomId))?.Name;
        await audit.WriteAsync(AuditActions.WebhookRevoked, actor, webhook.Id.ToString(), webhook.BotUser.DisplayName, $"in #{roomName}");
        return ChatResult.Ok;
    }

    /// <summary>Rooms (not direct messages) with their creator and the owner setting, for the admin console.</summary>
    public async Task<ChatResult<IReadOnlyList<WebhookRoom>>> ListRoomsAsync(AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (await adminGuard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<IReadOnlyList<WebhookRoom>>.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rooms = await db.Rooms.AsNoTracking()
            .Where(r => r.Kind != RoomKind.Direct)
            .OrderBy(r => r.NormalizedName)
            .Select(r => new WebhookRoom(r.Id, r.Name, r.Kind, r.OwnerManagesWebhooks,
                db.Users.Where(u => u.Id == r.CreatedById).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return ChatResult<IReadOnlyList<WebhookRoom>>.Success(rooms);
    }

    /// <summary>Admins decide per room whether its creator may manage its webhooks.</summary>
    public async Task<ChatResult> SetOwnerManagesAsync(AuditActor actor, int roomId, bool allowed)
    {
        if (await adminGuard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId && r.Kind != RoomKind.Direct);
        if (room is null)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        room.OwnerManagesWebhooks = allowed;
        await db.SaveChangesAsync();
        await audit.WriteAsync(AuditActions.WebhookOwnerSetting, actor, room.Id.ToString(), room.Name, allowed ? "on" : "off");
        return ChatResult.Ok;
    }

    /// <summary>The webhook behind a URL, or null for an unknown, revoked or deleted one and for a wrong secret alike.</summary>
    public async Task<(WebhookBot? Bot, bool WrongSecret)> AuthenticateAsync(int webhookId, string? token, CancellationToken cancellationToken = default)
    {
        var presented = WebhookSecret.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Webhooks.AsNoTracking()
            .Where(w => w.Id == webhookId && w.RevokedAt == null)
            .Select(w => new { w.RoomId, w.TokenHash, w.BotUserId, w.BotUser.DisplayName })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return (null, false);
        }
        return WebhookSecret.Matches(presented, row.TokenHash)
            ? (new WebhookBot(webhookId, row.RoomId, new ChatUser(row.BotUserId, row.DisplayName)), false)
            : (null, true);
    }

    public async Task RecordUseAsync(int webhookId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = time.GetUtcNow().UtcDateTime;
        await db.Webhooks.Where(w => w.Id == webhookId).ExecuteUpdateAsync(s => s.SetProperty(w => w.LastUsedAt, now));
    }
}
