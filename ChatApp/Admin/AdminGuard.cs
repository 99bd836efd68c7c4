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
        var now = time.GetUtcNow();
        var allowed = await db.Users.AnyAsync(u => u.Id == actor.Id && !u.IsDeactivated
            && (u.LockoutEnd == null || u.LockoutEnd <= now)
            && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.AdminRoleId));
        return allowed ? null : NotAnAdmin;
    }
}
