using System.Collections.Concurrent;
using System.Collections.Immutable;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>
/// The one place that answers "may this user see / read / post in this room, now?". Every path uses it:
/// opening a room, history, sending, editing, deleting, typing and event delivery. It keeps every room and
/// its member set in memory (loaded once from the database, then updated by the writes that change them),
/// so the per-recipient check at delivery is a hash lookup.
/// </summary>
public sealed class RoomMembership(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<int, RoomState> rooms = new();
    private readonly ConcurrentDictionary<string, ImmutableHashSet<int>> roomsByUser = new();
    // Members a moderator muted, until when (expired entries are harmless: the check compares with now).
    private readonly ConcurrentDictionary<(int RoomId, string UserId), DateTime> mutes = new();
    private readonly SemaphoreSlim loadLock = new(1, 1);
    private volatile bool loaded;

    public sealed record RoomState(int Id, string Name, RoomKind Kind, string? Topic, ImmutableHashSet<string> Members, bool IsReadOnly = false, bool IsArchived = false);

    public async Task EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (loaded)
        {
            return;
        }
        await loadLock.WaitAsync(cancellationToken);
        try
        {
            if (loaded)
            {
                return;
            }
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var allRooms = await db.Rooms.AsNoTracking()
                .Select(r => new { r.Id, r.Name, r.Kind, r.Topic, r.IsReadOnly, r.IsArchived })
                .ToListAsync(cancellationToken);
            var allMembers = await db.RoomMembers.AsNoTracking()
                .Select(m => new { m.RoomId, m.UserId, m.MutedUntil })
                .ToListAsync(cancellationToken);
            var membersByRoom = allMembers.ToLookup(m => m.RoomId, m => m.UserId);
            foreach (var room in allRooms)
            {
                rooms[room.Id] = new RoomState(room.Id, room.Name, room.Kind, room.Topic, membersByRoom[room.Id].ToImmutableHashSet(), room.IsReadOnly, room.IsArchived);
            }
            foreach (var muted in allMembers.Where(m => m.MutedUntil is not null))
            {
                mutes[(muted.RoomId, muted.UserId)] = muted.MutedUntil!.Value;
            }
            foreach (var group in allMembers.GroupBy(m => m.UserId))
            {
                roomsByUser[group.Key] = group.Select(m => m.RoomId).ToImmutableHashSet();
            }
            loaded = true;
        }
        finally
        {
            loadLock.Release();
        }
    }

    /// <summary>Synchronous check used at delivery; a room that is not known is never readable.</summary>
    public bool IsMember(int roomId, string userId) =>
        rooms.TryGetValue(roomId, out var room) && room.Members.Contains(userId);

    public async Task<bool> CanReadAsync(string userId, int roomId)
    {
        await EnsureLoadedAsync();
        return IsMember(roomId, userId);
    }

    /// <summary>
    /// The room as this user may see it, or null. Private rooms and direct messages of others answer exactly
    /// like rooms that do not exist.
    /// </summary>
    public async Task<RoomInfo?> GetVisibleRoomAsync(string userId, int roomId)
    {
        await EnsureLoadedAsync();
        if (!rooms.TryGetValue(roomId, out var room))
        {
            return null;
        }
        var isMember = room.Members.Contains(userId);
        if (!isMember && room.Kind != RoomKind.Public)
        {
            return null;
        }
        return new RoomInfo(room.Id, room.Name, room.Kind, room.Topic, isMember, room.IsReadOnly, room.IsArchived);
    }

    public async Task<RoomInfo?> FindVisibleRoomByNameAsync(string userId, string name)
    {
        await EnsureLoadedAsync();
        var normalized = Room.NormalizeName(name);
        var room = rooms.Values.FirstOrDefault(r => r.Kind != RoomKind.Direct && Room.NormalizeName(r.Name) == normalized);
        return room is null ? null : await GetVisibleRoomAsync(userId, room.Id);
    }

    public async Task<IReadOnlyCollection<int>> RoomsOfAsync(string userId)
    {
        await EnsureLoadedAsync();
        return roomsByUser.TryGetValue(userId, out var set) ? set : ImmutableHashSet<int>.Empty;
    }

    public async Task<IReadOnlyCollection<string>> MembersOfAsync(string userId, int roomId)
    {
        await EnsureLoadedAsync();
        return rooms.TryGetValue(roomId, out var room) && room.Members.Contains(userId)
            ? room.Members
            : ImmutableHashSet<string>.Empty;
    }

    /// <summary>True when the two users share at least one room (presence is visible only then).</summary>
    public bool ShareARoom(string userId, string otherUserId) =>
        roomsByUser.TryGetValue(userId, out var mine)
        && roomsByUser.TryGetValue(otherUserId, out var theirs)
        && mine.Overlaps(theirs);

    internal void RoomCreated(int roomId, string name, RoomKind kind, string? topic) =>
        rooms[roomId] = new RoomState(roomId, name, kind, topic, []);

    internal void RoomChanged(int roomId, string name, string? topic, bool isReadOnly, bool isArchived) =>
        Update(roomId, room => room with { Name = name, Topic = topic, IsReadOnly = isReadOnly, IsArchived = isArchived });

    /// <summary>The room as the membership cache knows it (for posting rules), or null.</summary>
    public async Task<RoomState?> GetStateAsync(int roomId)
    {
        await EnsureLoadedAsync();
        return rooms.GetValueOrDefault(roomId);
    }

    /// <summary>Until when a moderator muted this member in this room, if that is still ahead of <paramref name="now"/>.</summary>
    public async Task<DateTime?> MutedUntilAsync(string userId, int roomId, DateTime now)
    {
        await EnsureLoadedAsync();
        return mutes.TryGetValue((roomId, userId), out var until) && until > now ? until : null;
    }

    /// <summary>Called by the write that stored the mute (null: unmuted).</summary>
    internal void MuteChanged(int roomId, string userId, DateTime? until)
    {
        if (until is { } value)
        {
            mutes[(roomId, userId)] = value;
        }
        else
        {
            mutes.TryRemove((roomId, userId), out _);
        }
    }

    internal void RoomDeleted(int roomId)
    {
        if (rooms.TryRemove(roomId, out var room))
        {
            foreach (var userId in room.Members)
            {
                roomsByUser.AddOrUpdate(userId, [], (_, set) => set.Remove(roomId));
                mutes.TryRemove((roomId, userId), out _);
            }
        }
    }

    internal void MemberAdded(int roomId, string userId)
    {
        Update(roomId, room => room with { Members = room.Members.Add(userId) });
        roomsByUser.AddOrUpdate(userId, _ => [roomId], (_, set) => set.Add(roomId));
    }

    /// <summary>Takes effect before the caller publishes anything: delivery to the removed user stops here.</summary>
    internal void MemberRemoved(int roomId, string userId)
    {
        Update(roomId, room => room with { Members = room.Members.Remove(userId) });
        roomsByUser.AddOrUpdate(userId, _ => [], (_, set) => set.Remove(roomId));
        // The membership row (and its mute) is gone; rejoining starts unmuted, as in the database.
        mutes.TryRemove((roomId, userId), out _);
    }

    internal void UserDeleted(string userId)
    {
        if (roomsByUser.TryRemove(userId, out var roomIds))
        {
            foreach (var roomId in roomIds)
            {
                Update(roomId, room => room with { Members = room.Members.Remove(userId) });
                mutes.TryRemove((roomId, userId), out _);
            }
        }
    }

    private void Update(int roomId, Func<RoomState, RoomState> change)
    {
        while (rooms.TryGetValue(roomId, out var current))
        {
            if (rooms.TryUpdate(roomId, change(current), current))
            {
                return;
            }
        }
    }
}
