using System.Text.RegularExpressions;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

public sealed record SidebarRoom(int Id, string Name, RoomKind Kind, int Unread, long LastReadSequence, IReadOnlyList<RoomPerson> People)
{
    public int UnreadMentions { get; init; }

    public NotificationLevel Level { get; init; }
}

public sealed record RoomPerson(string UserId, string DisplayName)
{
    /// <summary>Their status when it was read (expired ones included: the reader compares with now).</summary>
    public PersonalStatus? Status { get; init; }
}

public sealed record PublicRoomSummary(int Id, string Name, string? Topic, int MemberCount, bool IsMember);

/// <summary>Creates rooms and direct messages and changes who is in them; authorization via <see cref="RoomMembership"/>.</summary>
public sealed partial class RoomService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    IChatNotifier notifier,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    public static string? CheckRoomName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > Room.NameMaxLength)
        {
            return $"Room names are 1 to {Room.NameMaxLength} characters.";
        }
        return RoomNamePattern().IsMatch(trimmed)
            ? null
            : "Room names may contain letters, digits, '-', '_' and '.', without spaces.";
    }

    /// <summary>Every room and direct message of the user with its unread count, in one query.</summary>
    public async Task<IReadOnlyList<SidebarRoom>> GetSidebarAsync(string userId, CancellationToken cancellationToken = default)
    {
        await membership.EnsureLoadedAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.RoomMembers.AsNoTracking()
            .Where(m => m.UserId == userId && !m.Room.IsArchived)
            .Select(m => new
            {
                m.RoomId,
                m.Room.Name,
                m.Room.Kind,
                m.LastReadSequence,
                m.NotificationLevel,
                Unread = db.Messages.Count(x => x.RoomId == m.RoomId && x.Sequence > m.LastReadSequence && x.DeletedAt == null && x.AuthorId != userId
                    && (x.ThreadRootId == null || x.AlsoInRoom)),
                Mentions = db.Messages.Count(x => x.RoomId == m.RoomId && x.Sequence > m.LastReadSequence && x.DeletedAt == null && x.AuthorId != userId
                    && (x.ThreadRootId == null || x.AlsoInRoom)
                    && (x.MentionsRoom || x.Mentions.Any(y => y.UserId == userId))),
            })
            .ToListAsync(cancellationToken);

        var directIds = rows.Where(r => r.Kind == RoomKind.Direct).Select(r => r.RoomId).ToList();
        var people = await db.RoomMembers.AsNoTracking()
            .Where(m => directIds.Contains(m.RoomId))
            .Select(m => new { m.RoomId, Person = new RoomPerson(m.UserId, m.User.DisplayName) { Status = PersonalStatus.From(m.User.StatusEmoji, m.User.StatusText, m.User.StatusExpiresAt) } })
            .ToListAsync(cancellationToken);
        var peopleByRoom = people.ToLookup(p => p.RoomId, p => p.Person);

        return rows
            .Select(r => new SidebarRoom(r.RoomId, r.Kind == RoomKind.Direct ? DirectTitle(peopleByRoom[r.RoomId], userId) : r.Name, r.Kind, r.Unread, r.LastReadSequence, [.. peopleByRoom[r.RoomId]])
            {
                UnreadMentions = r.Mentions,
                Level = r.NotificationLevel,
            })
            .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The title of a direct message for one of its members: the other people's names.</summary>
    public static string DirectTitle(IEnumerable<RoomPerson> people, string viewerId)
    {
        var others = people.Where(p => p.UserId != viewerId).Select(p => p.DisplayName).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return others.Count == 0 ? "Just you" : string.Join(", ", others);
    }

    public async Task<IReadOnlyList<PublicRoomSummary>> BrowsePublicRoomsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.AsNoTracking()
            .Where(r => r.Kind == RoomKind.Public && !r.IsArchived)
            .OrderBy(r => r.Name)
            .Select(r => new PublicRoomSummary(r.Id, r.Name, r.Topic, r.Members.Count, r.Members.Any(m => m.UserId == userId)))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RoomPerson>> GetMembersAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        if (!await membership.CanReadAsync(userId, roomId))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers.AsNoTracking()
            .Where(m => m.RoomId == roomId)
            .OrderBy(m => m.User.DisplayName)
            .Select(m => new RoomPerson(m.UserId, m.User.DisplayName) { Status = PersonalStatus.From(m.User.StatusEmoji, m.User.StatusText, m.User.StatusExpiresAt) })
            .ToListAsync(cancellationToken);
    }

    /// <summary>People whose display name starts with the query, for the direct message and invite pickers.</summary>
    public async Task<IReadOnlyList<RoomPerson>> FindPeopleAsync(string query, int limit = 8, CancellationToken cancellationToken = default)
    {
        var normalized = ApplicationUser.NormalizeDisplayName(query ?? "");
        if (normalized.Length == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => u.NormalizedDisplayName.StartsWith(normalized) && !u.IsDeactivated && !u.IsBot)
            .OrderBy(u => u.NormalizedDisplayName)
            .Take(limit)
            .Select(u => new RoomPerson(u.Id, u.DisplayName))
            .ToListAsync(cancellationToken);
    }

    public async Task<ChatResult<RoomInfo>> CreateRoomAsync(ChatUser creator, string? name, RoomKind kind, string? topic, CancellationToken cancellationToken = default)
    {
        if (kind == RoomKind.Direct)
        {
            return ChatResult<RoomInfo>.Fail("Use a direct message for conversations between people.");
        }
        if (CheckRoomName(name) is { } problem)
        {
            return ChatResult<RoomInfo>.Fail(problem);
        }
        topic = string.IsNullOrWhiteSpace(topic) ? null : topic.Trim();
        if (topic?.Length > Room.TopicMaxLength)
        {
            return ChatResult<RoomInfo>.Fail($"Topics are at most {Room.TopicMaxLength} characters.");
        }
        await membership.EnsureLoadedAsync(cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var room = new Room
        {
            Name = name!.Trim(),
            NormalizedName = Room.NormalizeName(name),
            Kind = kind,
            Topic = topic,
            CreatedById = creator.Id,
            CreatedAt = now,
            Members = [new RoomMember { UserId = creator.Id, JoinedAt = now }],
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Rooms.AnyAsync(r => r.NormalizedName == room.NormalizedName, cancellationToken))
        {
            return ChatResult<RoomInfo>.Fail(NameTaken);
        }
        db.Rooms.Add(room);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return ChatResult<RoomInfo>.Fail(NameTaken);
        }

        membership.RoomCreated(room.Id, room.Name, room.Kind, room.Topic);
        membership.MemberAdded(room.Id, creator.Id);
        notifier.Publish(new AddedToRoom(creator.Id, room.Id));
        return ChatResult<RoomInfo>.Success(new RoomInfo(room.Id, room.Name, room.Kind, room.Topic, IsMember: true));
    }

    private const string NameTaken = "A room with that name already exists.";

    /// <summary>Joins a public room. Private rooms and direct messages cannot be joined, only invited to.</summary>
    public async Task<ChatResult> JoinAsync(ChatUser user, int roomId, CancellationToken cancellationToken = default)
    {
        var room = await membership.GetVisibleRoomAsync(user.Id, roomId);
        if (room is null || room.Kind != RoomKind.Public)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        if (room.IsMember)
        {
            return ChatResult.Ok;
        }
        await AddMemberAsync(roomId, user, cancellationToken);
        return ChatResult.Ok;
    }

    public async Task<ChatResult> LeaveAsync(ChatUser user, int roomId, CancellationToken cancellationToken = default)
    {
        var room = await membership.GetVisibleRoomAsync(user.Id, roomId);
        if (room is null || !room.IsMember)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        if (room.Kind == RoomKind.Direct)
        {
            return ChatResult.Fail("Direct messages cannot be left.");
        }
        await RemoveMemberAsync(roomId, user.Id, cancellationToken);
        return ChatResult.Ok;
    }

    /// <summary>Adds someone to a public or private room the inviter belongs to.</summary>
    public async Task<ChatResult> InviteAsync(ChatUser inviter, int roomId, string inviteeId, CancellationToken cancellationToken = default)
    {
        var room = await membership.GetVisibleRoomAsync(inviter.Id, roomId);
        if (room is null || !room.IsMember)
        {
            return ChatResult.Fail(ChatResult.RoomNotFound);
        }
        if (room.Kind == RoomKind.Direct)
        {
            return ChatResult.Fail("Start a new direct message to talk with more people.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invitee = await db.Users.AsNoTracking()
            .Where(u => u.Id == inviteeId && !u.IsDeactivated && !u.IsBot)
            .Select(u => new ChatUser(u.Id, u.DisplayName))
            .FirstOrDefaultAsync(cancellationToken);
        if (invitee is null)
        {
            return ChatResult.Fail("That person was not found.");
        }
        if (membership.IsMember(roomId, inviteeId))
        {
            return ChatResult.Fail($"{invitee.DisplayName} is already in this room.");
        }
        await AddMemberAsync(roomId, invitee, cancellationToken);
        return ChatResult.Ok;
    }

    /// <summary>The user's existing direct conversation with exactly these people, or null; never creates one.</summary>
    public async Task<int?> FindDirectAsync(string userId, IReadOnlyCollection<string> otherUserIds, CancellationToken cancellationToken = default)
    {
        var key = DirectKey(DirectMemberIds(userId, otherUserIds));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roomId = await db.Rooms.Where(r => r.DirectKey == key).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
        return roomId is { } id && await membership.CanReadAsync(userId, id) ? id : null;
    }

    private static List<string> DirectMemberIds(string userId, IEnumerable<string> otherUserIds) =>
        otherUserIds.Append(userId).Distinct().Order(StringComparer.Ordinal).ToList();

    private static string DirectKey(IEnumerable<string> memberIds) => string.Join(',', memberIds);

    /// <summary>Opens the direct conversation with these people, creating it on the user's explicit request.</summary>
    public async Task<ChatResult<int>> OpenDirectAsync(ChatUser user, IReadOnlyCollection<string> otherUserIds, CancellationToken cancellationToken = default)
    {
        var memberIds = DirectMemberIds(user.Id, otherUserIds);
        if (memberIds.Count > options.Value.MaxDirectMessageMembers)
        {
            return ChatResult<int>.Fail($"Direct messages hold at most {options.Value.MaxDirectMessageMembers} people.");
        }
        await membership.EnsureLoadedAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Users.CountAsync(u => memberIds.Contains(u.Id) && !u.IsDeactivated && !u.IsBot, cancellationToken);
        if (found != memberIds.Count)
        {
            return ChatResult<int>.Fail("That person was not found.");
        }

        var key = DirectKey(memberIds);
        var existing = await db.Rooms.Where(r => r.DirectKey == key).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } existingId)
        {
            return ChatResult<int>.Success(existingId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var room = new Room
        {
            Kind = RoomKind.Direct,
            DirectKey = key,
            CreatedById = user.Id,
            CreatedAt = now,
            Members = memberIds.Select(id => new RoomMember { UserId = id, JoinedAt = now }).ToList(),
        };
        db.Rooms.Add(room);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Both people opened the conversation at once; use the one that was stored.
            await using var retry = await dbFactory.CreateDbContextAsync(cancellationToken);
            return ChatResult<int>.Success(await retry.Rooms.Where(r => r.DirectKey == key).Select(r => r.Id).SingleAsync(cancellationToken));
        }

        membership.RoomCreated(room.Id, room.Name, room.Kind, null);
        foreach (var memberId in memberIds)
        {
            membership.MemberAdded(room.Id, memberId);
            notifier.Publish(new AddedToRoom(memberId, room.Id));
        }
        return ChatResult<int>.Success(room.Id);
    }

    public async Task<ChatUser?> GetChatUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new ChatUser(u.Id, u.DisplayName))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<bool> NotificationsEnabledAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.NotificationsEnabled).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<RoomPerson?> FindPersonByDisplayNameAsync(string displayName, CancellationToken cancellationToken = default)
    {
        var normalized = ApplicationUser.NormalizeDisplayName(displayName);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => u.NormalizedDisplayName == normalized && !u.IsBot)
            .Select(u => new RoomPerson(u.Id, u.DisplayName))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Remembers that the user opened the room, so /chat can reopen it.</summary>
    public async Task RecordOpenedAsync(string userId, int roomId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastOpenedAt, now), cancellationToken);
    }

    public async Task<int?> GetLastOpenedRoomAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers.AsNoTracking()
            .Where(m => m.UserId == userId && m.LastOpenedAt != null)
            .OrderByDescending(m => m.LastOpenedAt)
            .Select(m => (int?)m.RoomId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds the user to the default room; called when an account is created.</summary>
    public async Task JoinDefaultRoomAsync(string userId, string displayName, CancellationToken cancellationToken = default)
    {
        await membership.EnsureLoadedAsync(cancellationToken);
        if (!membership.IsMember(Room.GeneralRoomId, userId))
        {
            await AddMemberAsync(Room.GeneralRoomId, new ChatUser(userId, displayName), cancellationToken);
        }
    }

    public async Task RemoveMemberAsync(int roomId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        // Delivery stops with this line, before anyone is told.
        membership.MemberRemoved(roomId, userId);
        notifier.Publish(new RemovedFromRoom(userId, roomId));
        notifier.Publish(new MemberLeft(roomId, userId));
    }

    public async Task AddMemberAsync(int roomId, ChatUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // New members start with nothing unread.
        var lastSequence = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSequence).FirstAsync(cancellationToken);
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = user.Id, JoinedAt = time.GetUtcNow().UtcDateTime, LastReadSequence = lastSequence });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (membership.IsMember(roomId, user.Id))
        {
            return;
        }
        membership.MemberAdded(roomId, user.Id);
        notifier.Publish(new MemberJoined(roomId, user.Id, user.DisplayName));
        notifier.Publish(new AddedToRoom(user.Id, roomId));
    }

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-]+$")]
    private static partial Regex RoomNamePattern();
}
