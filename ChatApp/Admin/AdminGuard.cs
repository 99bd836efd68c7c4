using ChatApp.Data;
using ChatApp.Security;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

/// <summary>Re-authorizes an admin action when it runs: the actor must still exist, be active and hold the Admin role.</summary>
public sealed class AdminGuard(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider time)
{
    public const string NotAnAdmin = "You are not an admin (any more).";

    /// <summary>Null when the actor may act as an admin now; otherwise the reason to show.</summary>
    public async Task<string?> RefuseAsync(AuditActor actor)
    {
        if (actor.Id is null)
        {
            return NotAnAdmin;
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var user = await db.Users.Where(u => u.Id == actor.Id)
            .Select(u => new { u.IsDeactivated, u.LockoutEnd, IsAdmin = db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.AdminRoleId) })
            .FirstOrDefaultAsync();
        // LockoutEnd is compared here: SQLite cannot compare DateTimeOffset values in SQL.
        var allowed = user is { IsAdmin: true, IsDeactivated: false } && !(user.LockoutEnd > time.GetUtcNow());
        return allowed ? null : NotAnAdmin;
    }
}
