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
    private readonly Lock changesDuringLoadGate = new();
    private List<MembershipChange>? changesDuringLoad;

    public sealed record RoomState(int Id, string Name, RoomKind Kind, string? Topic, ImmutableHashSet<string> Members, bool IsReadOnly = false, bool IsArchived = false);

    public Task EnsureLoadedAsync(CancellationToken cancellationToken = default) =>
        loaded ? Task.CompletedTask : LoadAsync(force: false, cancellationToken);

    /// <summary>
    /// Reads everything again from the database, for a server that may have missed changes relayed by others
    /// (the backplane was down). Rooms and members are replaced in place, so checks keep answering meanwhile.
    /// </summary>
    public Task ReloadAsync(CancellationToken cancellationToken = default) => LoadAsync(force: true, cancellationToken);

    private async Task LoadAsync(bool force, CancellationToken cancellationToken)
    {
        await loadLock.WaitAsync(cancellationToken);
        try
        {
            if (loaded && !force)
            {
                return;
            }
            // Changes applied while the database is read may be older or newer than what it returns: they are
            // applied again on top (each change is idempotent), so none is lost to the replacement.
            lock (changesDuringLoadGate)
            {
                changesDuringLoad = [];
            }
            var (freshRooms, freshMutes, freshByUser) = await ReadAllAsync(cancellationToken);
            Replace(rooms, freshRooms);
            Replace(mutes, freshMutes);
            Replace(roomsByUser, freshByUser);
            lock (changesDuringLoadGate)
            {
                foreach (var change in changesDuringLoad)
                {
                    ApplyToCache(change);
                }
                changesDuringLoad = null;
            }
            loaded = true;
        }
        finally
        {
            loadLock.Release();
        }
    }

    private async Task<(Dictionary<int, RoomState>, Dictionary<(int, string), DateTime>, Dictionary<string, ImmutableHashSet<int>>)> ReadAllAsync(
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var allRooms = await db.Rooms.AsNoTracking()
            .Select(r => new { r.Id, r.Name, r.Kind, r.Topic, r.IsReadOnly, r.IsArchived })
            .ToListAsync(cancellationToken);
        var allMembers = await db.RoomMembers.AsNoTracking()
            .Select(m => new { m.RoomId, m.UserId, m.MutedUntil })
            .ToListAsync(cancellationToken);
        var membersByRoom = allMembers.ToLookup(m => m.RoomId, m => m.UserId);
        return (
            allRooms.ToDictionary(r => r.Id, r => new RoomState(r.Id, r.Name, r.Kind, r.Topic, membersByRoom[r.Id].ToImmutableHashSet(), r.IsReadOnly, r.IsArchived)),
            allMembers.Where(m => m.MutedUntil is not null).ToDictionary(m => (m.RoomId, m.UserId), m => m.MutedUntil!.Value),
            allMembers.GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.Select(m => m.RoomId).ToImmutableHashSet()));
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
        Record(new MembershipChange(MembershipChangeKind.RoomCreated, roomId, Name: name, RoomKind: kind, Topic: topic));

    internal void RoomChanged(int roomId, string name, string? topic, bool isReadOnly, bool isArchived) =>
        Record(new MembershipChange(MembershipChangeKind.RoomChanged, roomId, Name: name, Topic: topic, IsReadOnly: isReadOnly, IsArchived: isArchived));

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
    internal void MuteChanged(int roomId, string userId, DateTime? until) =>
        Record(new MembershipChange(MembershipChangeKind.MuteChanged, roomId, userId, MutedUntil: until));

    internal void RoomDeleted(int roomId) => Record(new MembershipChange(MembershipChangeKind.RoomDeleted, roomId));

    internal void MemberAdded(int roomId, string userId) => Record(new MembershipChange(MembershipChangeKind.MemberAdded, roomId, userId));

    /// <summary>Takes effect before the caller publishes anything: delivery to the removed user stops here.</summary>
    internal void MemberRemoved(int roomId, string userId) => Record(new MembershipChange(MembershipChangeKind.MemberRemoved, roomId, userId));

    internal void UserDeleted(string userId) => Record(new MembershipChange(MembershipChangeKind.UserDeleted, 0, userId));

    /// <summary>
    /// Raised after this server changed the cache, in the order of the changes; the Redis backplane relays them
    /// so every server's cache (and so every server's delivery check) follows the same writes.
    /// </summary>
    public event Action<MembershipChange>? Changed;

    private void Record(MembershipChange change)
    {
        Apply(change);
        Changed?.Invoke(change);
    }

    /// <summary>Applies a change made by this or another server (without raising <see cref="Changed"/>).</summary>
    public void Apply(MembershipChange change)
    {
        lock (changesDuringLoadGate)
        {
            changesDuringLoad?.Add(change);
            ApplyToCache(change);
        }
    }

    private void ApplyToCache(MembershipChange change)
    {
        var (roomId, userId) = (change.RoomId, change.UserId ?? "");
        switch (change.Kind)
        {
            case MembershipChangeKind.RoomCreated:
                rooms[roomId] = new RoomState(roomId, change.Name ?? "", change.RoomKind, change.Topic, []);
                break;
            case MembershipChangeKind.RoomChanged:
                Update(roomId, room => room with { Name = change.Name ?? room.Name, Topic = change.Topic, IsReadOnly = change.IsReadOnly, IsArchived = change.IsArchived });
                break;
            case MembershipChangeKind.MuteChanged when change.MutedUntil is { } until:
                mutes[(roomId, userId)] = until;
                break;
            case MembershipChangeKind.MuteChanged:
                mutes.TryRemove((roomId, userId), out _);
                break;
            case MembershipChangeKind.RoomDeleted when rooms.TryRemove(roomId, out var deleted):
                foreach (var member in deleted.Members)
                {
                    roomsByUser.AddOrUpdate(member, [], (_, set) => set.Remove(roomId));
                    mutes.TryRemove((roomId, member), out _);
                }
                break;
            case MembershipChangeKind.MemberAdded:
                Update(roomId, room => room with { Members = room.Members.Add(userId) });
                roomsByUser.AddOrUpdate(userId, _ => [roomId], (_, set) => set.Add(roomId));
                break;
            case MembershipChangeKind.MemberRemoved:
                Update(roomId, room => room with { Members = room.Members.Remove(userId) });
                roomsByUser.AddOrUpdate(userId, _ => [], (_, set) => set.Remove(roomId));
                // The membership row (and its mute) is gone; rejoining starts unmuted, as in the database.
                mutes.TryRemove((roomId, userId), out _);
                break;
            case MembershipChangeKind.UserDeleted when roomsByUser.TryRemove(userId, out var roomIds):
                foreach (var id in roomIds)
                {
                    Update(id, room => room with { Members = room.Members.Remove(userId) });
                    mutes.TryRemove((id, userId), out _);
                }
                break;
        }
    }

    private static void Replace<TKey, TValue>(ConcurrentDictionary<TKey, TValue> target, Dictionary<TKey, TValue> fresh) where TKey : notnull
    {
        foreach (var (key, value) in fresh)
        {
            target[key] = value;
        }
        foreach (var key in target.Keys.Where(key => !fresh.ContainsKey(key)).ToList())
        {
            target.TryRemove(key, out _);
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

public enum MembershipChangeKind
{
    RoomCreated,
    RoomChanged,
    RoomDeleted,
    MemberAdded,
    MemberRemoved,
    MuteChanged,
    UserDeleted,
}

/// <summary>One change to the membership cache, small enough to relay to the other servers.</summary>
public sealed record MembershipChange(
    MembershipChangeKind Kind,
    int RoomId,
    string? UserId = null,
    string? Name = null,
    RoomKind RoomKind = RoomKind.Public,
    string? Topic = null,
    bool IsReadOnly = false,
    bool IsArchived = false,
    DateTime? MutedUntil = null);
