using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

public sealed record AdminRoomRow(int Id, string Name, RoomKind Kind, string? Topic, int Members, int Messages, DateTime? LastActivity, bool IsReadOnly, bool IsArchived);

public sealed record RoomQuery(string? Search = null, string? SortBy = null, bool Descending = false, int Skip = 0, int Take = 25);

/// <summary>Admin actions on rooms and moderation of members; re-authorized and audited like the user actions.</summary>
public sealed class AdminRoomService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    RoomService rooms,
    IChatNotifier notifier,
    AttachmentService attachments,
    AdminGuard guard,
    AuditLog audit)
{
    public async Task<ChatResult<Page<AdminRoomRow>>> QueryAsync(AuditActor actor, RoomQuery query, CancellationToken cancellationToken = default)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<Page<AdminRoomRow>>.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = db.Rooms.AsNoTracking().Where(r => r.Kind != RoomKind.Direct);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToUpperInvariant();
            all = all.Where(r => r.NormalizedName != null && r.NormalizedName.Contains(search));
        }
        all = (query.SortBy, query.Descending) switch
        {
            (nameof(AdminRoomRow.LastActivity), false) => all.OrderBy(r => r.LastMessageAt),
            (nameof(AdminRoomRow.LastActivity), true) => all.OrderByDescending(r => r.LastMessageAt),
            (nameof(AdminRoomRow.Members), false) => all.OrderBy(r => r.Members.Count),
            (nameof(AdminRoomRow.Members), true) => all.OrderByDescending(r => r.Members.Count),
            (_, true) => all.OrderByDescending(r => r.NormalizedName),
            _ => all.OrderBy(r => r.NormalizedName),
        };
        var total = await all.CountAsync(cancellationToken);
        var rows = await all.Skip(query.Skip).Take(Math.Clamp(query.Take, 1, 200))
            .Select(r => new AdminRoomRow(r.Id, r.Name, r.Kind, r.Topic, r.Members.Count,
                db.Messages.Count(m => m.RoomId == r.Id && m.DeletedAt == null), r.LastMessageAt, r.IsReadOnly, r.IsArchived))
            .ToListAsync(cancellationToken);
        return ChatResult<Page<AdminRoomRow>>.Success(new Page<AdminRoomRow>(rows, total));
    }

    public async Task<ChatResult<RoomInfo>> CreateAsync(AuditActor actor, string name, RoomKind kind, string? topic)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<RoomInfo>.Fail(refusal);
        }
        var result = await rooms.CreateRoomAsync(new ChatUser(actor.Id!, actor.Name ?? ""), name, kind, topic);
        if (result.Succeeded)
        {
            await audit.WriteAsync(AuditActions.RoomCreated, actor, result.Value!.Id.ToString(), result.Value.Name, kind.ToString());
        }
        return result;
    }

    public Task<ChatResult> RenameAsync(AuditActor actor, int roomId, string newName) =>
        ChangeRoomAsync(actor, roomId, async (db, room) =>
        {
            if (RoomService.CheckRoomName(newName) is { } problem)
            {
                return ChatResult.Fail(problem);
            }
            var normalized = Room.NormalizeName(newName);
            if (await db.Rooms.AnyAsync(r => r.NormalizedName == normalized && r.Id != roomId))
            {
                return ChatResult.Fail("A room with that name already exists.");
            }
            var old = room.Name;
            room.Name = newName.Trim();
            room.NormalizedName = normalized;
            await db.SaveChangesAsync();
            await audit.WriteAsync(AuditActions.RoomRenamed, actor, room.Id.ToString(), room.Name, $"was {old}");
            return ChatResult.Ok;
        });

    public Task<ChatResult> SetReadOnlyAsync(AuditActor actor, int roomId, bool readOnly) =>
        ChangeRoomAsync(actor, roomId, async (db, room) =>
        {
            room.IsReadOnly = readOnly;
            await db.SaveChangesAsync();
            await audit.WriteAsync(AuditActions.RoomReadOnly, actor, room.Id.ToString(), room.Name, readOnly ? "on" : "off");
            return ChatResult.Ok;
        });

    public Task<ChatResult> SetArchivedAsync(AuditActor actor, int roomId, bool archived) =>
        ChangeRoomAsync(actor, roomId, async (db, room) =>
        {
            if (archived && room.Id == Room.GeneralRoomId)
            {
                return ChatResult.Fail("#general is where every new account starts; it cannot be archived.");
            }
            room.IsArchived = archived;
            await db.SaveChangesAsync();
            await audit.WriteAsync(AuditActions.RoomArchived, actor, room.Id.ToString(), room.Name, archived ? "archived" : "restored");
            return ChatResult.Ok;
        });

    /// <summary>Deletes the room, its messages and their files; the admin must type the room's name to confirm.</summary>
    public async Task<ChatResult> DeleteAsync(AuditActor actor, int roomId, string confirmation)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId && r.Kind != RoomKind.Direct);
        if (room is null)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        if (room.Id == Room.GeneralRoomId)
        {
            return ChatResult.Fail("#general cannot be deleted.");
        }
        if (!string.Equals(confirmation?.Trim(), room.Name, StringComparison.Ordinal))
        {
            return ChatResult.Fail($"Type the room's name, {room.Name}, to confirm.");
        }
        var memberIds = await db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).ToListAsync();
        // The files first: once the messages are gone nothing names them.
        await attachments.DeleteForRoomAsync(roomId);
        await db.Rooms.Where(r => r.Id == roomId).ExecuteDeleteAsync();
        // Delivery stops before anyone is told.
        membership.RoomDeleted(roomId);
        foreach (var userId in memberIds)
        {
            notifier.Publish(new RemovedFromRoom(userId, roomId));
        }
        await audit.WriteAsync(AuditActions.RoomDeleted, actor, roomId.ToString(), room.Name, $"{memberIds.Count} member(s)");
        return ChatResult.Ok;
    }

    public async Task<ChatResult<IReadOnlyList<RoomPerson>>> MembersAsync(AuditActor actor, int roomId)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<IReadOnlyList<RoomPerson>>.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        IReadOnlyList<RoomPerson> people = await db.RoomMembers.AsNoTracking().Where(m => m.RoomId == roomId)
            .OrderBy(m => m.User.DisplayName)
            .Select(m => new RoomPerson(m.UserId, m.User.DisplayName))
            .ToListAsync();
        return ChatResult<IReadOnlyList<RoomPerson>>.Success(people);
    }

    public async Task<ChatResult> AddMemberAsync(AuditActor actor, int roomId, string userId)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        var state = await membership.GetStateAsync(roomId);
        if (state is null || state.Kind == RoomKind.Direct)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        if (state.Members.Contains(userId))
        {
            return ChatResult.Fail("Already a member.");
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var person = await db.Users.Where(u => u.Id == userId && !u.IsBot).Select(u => new ChatUser(u.Id, u.DisplayName)).FirstOrDefaultAsync();
        if (person is null)
        {
            return ChatResult.Fail("That user no longer exists.");
        }
        await rooms.AddMemberAsync(roomId, person);
        await audit.WriteAsync(AuditActions.MemberAdded, actor, userId, person.DisplayName, $"to {state.Name}");
        return ChatResult.Ok;
    }

    /// <summary>Removes a member; delivery to them stops at once and the room leaves their view.</summary>
    public async Task<ChatResult> RemoveMemberAsync(AuditActor actor, int roomId, string userId)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        var state = await membership.GetStateAsync(roomId);
        if (state is null || state.Kind == RoomKind.Direct || !state.Members.Contains(userId))
        {
            return ChatResult.Fail("Not a member of that room.");
        }
        await rooms.RemoveMemberAsync(roomId, userId);
        await audit.WriteAsync(AuditActions.MemberRemoved, actor, userId, null, $"from {state.Name}");
        return ChatResult.Ok;
    }

    /// <summary>Mutes a member of a room until a time (they read but cannot post), or unmutes with null.</summary>
    public async Task<ChatResult> MuteAsync(AuditActor actor, int roomId, string userId, DateTime? until)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        if (userId == actor.Id)
        {
            return ChatResult.Fail("You cannot mute yourself.");
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var updated = await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.MutedUntil, until));
        if (updated == 0)
        {
            return ChatResult.Fail("Not a member of that room.");
        }
        membership.MuteChanged(roomId, userId, until);
        notifier.Publish(new MuteChanged(userId, roomId, until));
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync();
        await audit.WriteAsync(until is null ? AuditActions.UserUnmuted : AuditActions.UserMuted, actor, userId, name,
            until is null ? $"in room {roomId}" : $"in room {roomId} until {until:yyyy-MM-dd HH:mm} UTC");
        return ChatResult.Ok;
    }

    private async Task<ChatResult> ChangeRoomAsync(AuditActor actor, int roomId, Func<ApplicationDbContext, Room, Task<ChatResult>> change)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId && r.Kind != RoomKind.Direct);
        if (room is null)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        var result = await change(db, room);
        if (result.Succeeded)
        {
            membership.RoomChanged(room.Id, room.Name, room.Topic, room.IsReadOnly, room.IsArchived);
            notifier.Publish(new RoomChanged(room.Id));
        }
        return result;
    }
}
