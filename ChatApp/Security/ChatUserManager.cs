using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Identity's user manager, plus the rule that every change reducing a user's rights ends their sessions and
/// live circuits at once: lock, deactivation, deletion, loss of a role, password and security stamp changes.
/// </summary>
public sealed class ChatUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    SessionRevoker revoker,
    ChatApp.Chat.AdminRoster roster,
    ChatApp.Chat.RoomMembership membership,
    IHttpContextAccessor httpContextAccessor,
    TimeProvider time)
    : UserManager<ApplicationUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> SetLockoutEndDateAsync(ApplicationUser user, DateTimeOffset? lockoutEnd)
    {
        var result = await base.SetLockoutEndDateAsync(user, lockoutEnd);
        if (result.Succeeded && lockoutEnd > time.GetUtcNow())
        {
            await revoker.EndAllSessionsAsync(user.Id);
        }
        return result;
    }

    public override async Task<IdentityResult> AddToRoleAsync(ApplicationUser user, string role)
    {
        var result = await base.AddToRoleAsync(user, role);
        if (result.Succeeded && role == Roles.Admin)
        {
            roster.Granted(user.Id);
        }
        return result;
    }

    public override async Task<IdentityResult> RemoveFromRoleAsync(ApplicationUser user, string role)
    {
        if (role == Roles.Admin)
        {
            roster.Revoked(user.Id);
        }
        return await EndSessionsOnSuccessAsync(user, base.RemoveFromRoleAsync(user, role));
    }

    public override Task<IdentityResult> RemoveFromRolesAsync(ApplicationUser user, IEnumerable<string> roles)
    {
        var removing = roles.ToList();
        if (removing.Contains(Roles.Admin))
        {
            roster.Revoked(user.Id);
        }
        return EndSessionsOnSuccessAsync(user, base.RemoveFromRolesAsync(user, removing));
    }

    /// <summary>Ends the user's access first; their messages stay, shown as by "Deleted user".</summary>
    public override async Task<IdentityResult> DeleteAsync(ApplicationUser user)
    {
        roster.Revoked(user.Id);
        await revoker.EndAllSessionsAsync(user.Id);
        var result = await base.DeleteAsync(user);
        if (result.Succeeded)
        {
            membership.UserDeleted(user.Id);
        }
        return result;
    }

    /// <summary>
    /// The browser that changed the password keeps its (renewed) session; every other one ends. A temporary
    /// password from an admin counts as changed from here on (saved with the new hash).
    /// </summary>
    public override async Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword)
    {
        var wasTemporary = user.MustChangePassword;
        user.MustChangePassword = false;
        var result = await EndSessionsOnSuccessAsync(user, base.ChangePasswordAsync(user, currentPassword, newPassword), spareCurrentSession: true);
        if (!result.Succeeded)
        {
            user.MustChangePassword = wasTemporary;
        }
        return result;
    }

    public override Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword) =>
        EndSessionsOnSuccessAsync(user, base.ResetPasswordAsync(user, token, newPassword));

    public override Task<IdentityResult> RemovePasswordAsync(ApplicationUser user) =>
        EndSessionsOnSuccessAsync(user, base.RemovePasswordAsync(user));

    public override Task<IdentityResult> UpdateSecurityStampAsync(ApplicationUser user) =>
        EndSessionsOnSuccessAsync(user, base.UpdateSecurityStampAsync(user), spareCurrentSession: true);

    /// <summary>Saving a deactivated account ends its sessions.</summary>
    public override Task<IdentityResult> UpdateAsync(ApplicationUser user) =>
        user.IsDeactivated ? EndSessionsOnSuccessAsync(user, base.UpdateAsync(user)) : base.UpdateAsync(user);

    private async Task<IdentityResult> EndSessionsOnSuccessAsync(ApplicationUser user, Task<IdentityResult> change, bool spareCurrentSession = false)
    {
        var result = await change;
        if (result.Succeeded)
        {
            var current = httpContextAccessor.HttpContext?.User;
            var spare = spareCurrentSession && current is not null && GetUserId(current) == user.Id ? SessionKeys.SessionIdOf(current) : null;
            await revoker.EndAllSessionsAsync(user.Id, spare);
        }
        return result;
    }
}
