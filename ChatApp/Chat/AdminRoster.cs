using System.Collections.Concurrent;
using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>
/// Who is an admin right now, in memory, for checks on hot paths (posting in read-only rooms, moderation).
/// Loaded once from the database and kept current by <see cref="ChatUserManager"/>'s role changes.
/// </summary>
public sealed class AdminRoster(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<string, bool> admins = new();
    private readonly SemaphoreSlim loadLock = new(1, 1);
    private volatile bool loaded;

    public async Task<bool> IsAdminAsync(string userId)
    {
        if (!loaded)
        {
            await LoadAsync(force: false);
        }
        return admins.ContainsKey(userId);
    }

    /// <summary>Reads the list again: role changes relayed by other servers may have been missed (a Redis outage).</summary>
    public Task ReloadAsync() => LoadAsync(force: true);

    private async Task LoadAsync(bool force)
    {
        await loadLock.WaitAsync();
        try
        {
            if (loaded && !force)
            {
                return;
            }
            await using var db = await dbFactory.CreateDbContextAsync();
            var ids = (await db.UserRoles.Where(r => r.RoleId == Roles.AdminRoleId).Select(r => r.UserId).ToListAsync()).ToHashSet();
            foreach (var id in admins.Keys.Where(id => !ids.Contains(id)))
            {
                admins.TryRemove(id, out _);
            }
            foreach (var id in ids)
            {
                admins[id] = true;
            }
            loaded = true;
        }
        finally
        {
            loadLock.Release();
        }
    }

    internal void Granted(string userId) => Record(userId, isAdmin: true);

    internal void Revoked(string userId) => Record(userId, isAdmin: false);

    /// <summary>Raised when this server changed a role; the Redis backplane relays it to the other servers.</summary>
    public event Action<string, bool>? Changed;

    /// <summary>Applies a role change made by this or another server.</summary>
    public void Apply(string userId, bool isAdmin)
    {
        if (isAdmin)
        {
            admins[userId] = true;
        }
        else
        {
            admins.TryRemove(userId, out _);
        }
    }

    private void Record(string userId, bool isAdmin)
    {
        Apply(userId, isAdmin);
        Changed?.Invoke(userId, isAdmin);
    }
}
