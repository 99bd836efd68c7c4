using System.Security.Cryptography;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

public enum UserStatus
{
    Active,
    Locked,
    Deactivated,
}

public sealed record AdminUserRow(
    string Id,
    string DisplayName,
    string Email,
    bool IsAdmin,
    UserStatus Status,
    DateTime? LockedUntil,
    DateTime CreatedAt,
    DateTime? LastSeenAt,
    PresenceStatus Presence);

public sealed record UserQuery(string? Search = null, string? SortBy = null, bool Descending = false, int Skip = 0, int Take = 25);

/// <summary>
/// Every admin action on users. Each call re-checks, against the database, that the actor is still an admin,
/// refuses to remove the last admin or to lock/demote oneself, and writes an audit entry.
/// </summary>
public sealed class AdminUserService(
    IServiceScopeFactory scopeFactory,
    IDbContextFactory<ApplicationDbContext> dbFactory,
    PresenceTracker presence,
    RoomService rooms,
    AdminGuard guard,
    AuditLog audit,
    TimeProvider time)
{
    public const string LockedForever = "indefinitely";

    // Actions that can take an admin away run one at a time, so two admins demoting each other cannot leave none.
    private readonly SemaphoreSlim adminRemovals = new(1, 1);

    public async Task<ChatResult<Page<AdminUserRow>>> QueryAsync(AuditActor actor, UserQuery query, CancellationToken cancellationToken = default)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<Page<AdminUserRow>>.Fail(refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking().Where(u => !u.IsBot);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToUpperInvariant();
            users = users.Where(u => u.NormalizedDisplayName.Contains(search) || (u.NormalizedEmail != null && u.NormalizedEmail.Contains(search)));
        }
        users = (query.SortBy, query.Descending) switch
        {
            (nameof(AdminUserRow.Email), false) => users.OrderBy(u => u.NormalizedEmail),
            (nameof(AdminUserRow.Email), true) => users.OrderByDescending(u => u.NormalizedEmail),
            (nameof(AdminUserRow.CreatedAt), false) => users.OrderBy(u => u.CreatedAt),
            (nameof(AdminUserRow.CreatedAt), true) => users.OrderByDescending(u => u.CreatedAt),
            (nameof(AdminUserRow.LastSeenAt), false) => users.OrderBy(u => u.LastSeenAt),
            (nameof(AdminUserRow.LastSeenAt), true) => users.OrderByDescending(u => u.LastSeenAt),
            (_, true) => users.OrderByDescending(u => u.NormalizedDisplayName),
            _ => users.OrderBy(u => u.NormalizedDisplayName),
        };
        var total = await users.CountAsync(cancellationToken);
        var now = time.GetUtcNow();
        var page = await users
            .Skip(query.Skip)
            .Take(Math.Clamp(query.Take, 1, 200))
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                IsAdmin = db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.AdminRoleId),
                u.IsDeactivated,
                u.LockoutEnd,
                u.CreatedAt,
                u.LastSeenAt,
            })
            .ToListAsync(cancellationToken);
        var rows = page.Select(u =>
        {
            var locked = u.LockoutEnd > now;
            var status = u.IsDeactivated ? UserStatus.Deactivated : locked ? UserStatus.Locked : UserStatus.Active;
            return new AdminUserRow(u.Id, u.DisplayName, u.Email ?? "", u.IsAdmin, status, locked ? u.LockoutEnd!.Value.UtcDateTime : null,
                u.CreatedAt, u.LastSeenAt, presence.GetStatus(u.Id));
        }).ToList();
        return ChatResult<Page<AdminUserRow>>.Success(new Page<AdminUserRow>(rows, total));
    }

    /// <summary>Creates an account with a temporary password the user must change at first sign-in.</summary>
    public async Task<ChatResult> CreateAsync(AuditActor actor, string displayName, string email, string temporaryPassword)
    {
        return await RunAsync(actor, null, async (users, _) =>
        {
            var user = new ApplicationUser { DisplayName = displayName.Trim(), UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, MustChangePassword = true };
            var result = await CreateUserAsync(users, user, temporaryPassword);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await rooms.JoinDefaultRoomAsync(user.Id, user.DisplayName);
            await audit.WriteAsync(AuditActions.UserCreated, actor, user.Id, user.DisplayName, user.Email);
            return ChatResult.Ok;
        });
    }

    public Task<ChatResult> EditAsync(AuditActor actor, string userId, string displayName, string email) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            var before = $"{user!.DisplayName} <{user.Email}>";
            user.DisplayName = displayName.Trim();
            user.Email = email.Trim();
            user.UserName = email.Trim();
            IdentityResult result;
            try
            {
                result = await users.UpdateAsync(user!);
            }
            catch (DbUpdateException)
            {
                result = IdentityResult.Failed(DisplayNameRules.TakenError);
            }
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.UserEdited, actor, user!.Id, user.DisplayName, $"was {before}, now {user.DisplayName} <{user.Email}>");
            return ChatResult.Ok;
        });

    /// <summary>Sets a new temporary password (returned once, to show to the admin) and ends all the user's sessions.</summary>
    public async Task<ChatResult<string>> ResetPasswordAsync(AuditActor actor, string userId)
    {
        var password = GeneratePassword();
        var result = await RunAsync(actor, userId, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user!);
            var reset = await users.ResetPasswordAsync(user!, token, password);
            if (!reset.Succeeded)
            {
                return Describe(reset);
            }
            user!.MustChangePassword = true;
            await users.UpdateAsync(user);
            await audit.WriteAsync(AuditActions.PasswordReset, actor, user.Id, user.DisplayName, "temporary password set, sessions ended");
            return ChatResult.Ok;
        });
        return result.Succeeded ? ChatResult<string>.Success(password) : ChatResult<string>.Fail(result.Error!);
    }

    /// <summary>Locks the account until a time, or indefinitely when <paramref name="until"/> is null.</summary>
    public Task<ChatResult> LockAsync(AuditActor actor, string userId, DateTimeOffset? until) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            if (await RefuseRemovingAdminAsync(actor, user!, "lock") is { } refusal)
            {
                return refusal;
            }
            var end = until ?? DateTimeOffset.MaxValue;
            if (end <= time.GetUtcNow())
            {
                return ChatResult.Fail("Choose a time in the future.");
            }
            await users.SetLockoutEnabledAsync(user!, true);
            var result = await users.SetLockoutEndDateAsync(user!, end);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.UserLocked, actor, user!.Id, user.DisplayName, until is null ? LockedForever : $"until {end:yyyy-MM-dd HH:mm} UTC");
            return ChatResult.Ok;
        });

    public Task<ChatResult> UnlockAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            await users.SetLockoutEndDateAsync(user!, null);
            await users.ResetAccessFailedCountAsync(user!);
            await audit.WriteAsync(AuditActions.UserUnlocked, actor, user!.Id, user.DisplayName);
            return ChatResult.Ok;
        });

    public Task<ChatResult> DeactivateAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            if (await RefuseRemovingAdminAsync(actor, user!, "deactivate") is { } refusal)
            {
                return refusal;
            }
            user!.IsDeactivated = true;
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.UserDeactivated, actor, user.Id, user.DisplayName);
            return ChatResult.Ok;
        });

    public Task<ChatResult> ReactivateAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            user!.IsDeactivated = false;
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.UserReactivated, actor, user.Id, user.DisplayName);
            return ChatResult.Ok;
        });

    public Task<ChatResult> GrantAdminAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            if (await users.IsInRoleAsync(user!, Roles.Admin))
            {
                return ChatResult.Fail($"{user!.DisplayName} is already an admin.");
            }
            var result = await users.AddToRoleAsync(user!, Roles.Admin);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.AdminGranted, actor, user!.Id, user.DisplayName);
            return ChatResult.Ok;
        });

    public Task<ChatResult> RevokeAdminAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            if (!await users.IsInRoleAsync(user!, Roles.Admin))
            {
                return ChatResult.Fail($"{user!.DisplayName} is not an admin.");
            }
            if (await RefuseRemovingAdminAsync(actor, user!, "demote") is { } refusal)
            {
                return refusal;
            }
            var result = await users.RemoveFromRoleAsync(user!, Roles.Admin);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.AdminRevoked, actor, user!.Id, user.DisplayName);
            return ChatResult.Ok;
        });

    public Task<ChatResult> EndSessionsAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (_, user) =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var ended = await scope.ServiceProvider.GetRequiredService<SessionRevoker>().EndAllSessionsAsync(user!.Id, actor: actor);
            await audit.WriteAsync(AuditActions.UserSessionsEnded, actor, user.Id, user.DisplayName, $"{ended} session(s)");
            return ChatResult.Ok;
        });

    /// <summary>Deletes the account; its messages remain, shown as by "Deleted user".</summary>
    public Task<ChatResult> DeleteAsync(AuditActor actor, string userId) =>
        RunAsync(actor, userId, async (users, user) =>
        {
            if (await RefuseRemovingAdminAsync(actor, user!, "delete") is { } refusal)
            {
                return refusal;
            }
            var name = user!.DisplayName;
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
            await audit.WriteAsync(AuditActions.UserDeleted, actor, userId, name);
            return ChatResult.Ok;
        });

    /// <summary>Runs an action with a fresh UserManager, after re-checking the actor and loading the target; one at a time.</summary>
    private async Task<ChatResult> RunAsync(AuditActor actor, string? targetId, Func<UserManager<ApplicationUser>, ApplicationUser?, Task<ChatResult>> action)
    {
        await adminRemovals.WaitAsync();
        try
        {
            if (await guard.RefuseAsync(actor) is { } refusal)
            {
                return ChatResult.Fail(refusal);
            }
            await using var scope = scopeFactory.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            ApplicationUser? target = null;
            if (targetId is not null)
            {
                target = await users.FindByIdAsync(targetId);
                if (target is null)
                {
                    return ChatResult.Fail("That user no longer exists.");
                }
            }
            return await action(users, target);
        }
        finally
        {
            adminRemovals.Release();
        }
    }

    /// <summary>The last active admin stays; and nobody locks, demotes, deactivates or deletes themselves here.</summary>
    private async Task<ChatResult?> RefuseRemovingAdminAsync(AuditActor actor, ApplicationUser target, string verb)
    {
        if (target.Id == actor.Id)
        {
            return ChatResult.Fail($"You cannot {verb} your own account from the admin console.");
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = time.GetUtcNow();
        var isAdmin = await db.UserRoles.AnyAsync(r => r.UserId == target.Id && r.RoleId == Roles.AdminRoleId);
        if (!isAdmin)
        {
            return null;
        }
        var otherAdmins = await db.Users
            .Where(u => u.Id != target.Id && !u.IsDeactivated && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.AdminRoleId))
            .Select(u => u.LockoutEnd)
            .ToListAsync();
        // Admins are few; the lockout comparison runs here because SQLite cannot compare DateTimeOffset in SQL.
        var otherActiveAdmins = otherAdmins.Count(end => !(end > now));
        return otherActiveAdmins == 0
            ? ChatResult.Fail($"{target.DisplayName} is the last admin. Make someone else an admin first.")
            : null;
    }

    private static async Task<IdentityResult> CreateUserAsync(UserManager<ApplicationUser> users, ApplicationUser user, string password)
    {
        try
        {
            return await users.CreateAsync(user, password);
        }
        catch (DbUpdateException)
        {
            return IdentityResult.Failed(DisplayNameRules.TakenError);
        }
    }

    private static ChatResult Describe(IdentityResult result) =>
        ChatResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));

    /// <summary>16 characters with every class Identity asks for.</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "!@#$%*-_+=?";
        const string all = upper + lower + digits + symbols;
        var chars = new List<char>
        {
            upper[RandomNumberGenerator.GetInt32(upper.Length)],
            lower[RandomNumberGenerator.GetInt32(lower.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)],
            symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        while (chars.Count < 16)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }
        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]);
    }
}
