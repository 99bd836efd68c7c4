using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>Display names are 1-40 visible characters and unique ignoring case.</summary>
internal sealed class DisplayNameValidator(IDbContextFactory<ApplicationDbContext> dbFactory) : IUserValidator<ApplicationUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        if (DisplayNameRules.Check(user.DisplayName) is { } problem)
        {
            return IdentityResult.Failed(new IdentityError { Code = "InvalidDisplayName", Description = problem });
        }

        user.DisplayName = user.DisplayName.Trim();
        user.NormalizedDisplayName = ApplicationUser.NormalizeDisplayName(user.DisplayName);
        await using var db = await dbFactory.CreateDbContextAsync();
        var taken = await db.Users.AnyAsync(u => u.NormalizedDisplayName == user.NormalizedDisplayName && u.Id != user.Id);
        return taken
            ? IdentityResult.Failed(DisplayNameRules.TakenError)
            : IdentityResult.Success;
    }
}

public static class DisplayNameRules
{
    public static readonly IdentityError TakenError = new() { Code = "DuplicateDisplayName", Description = "That display name is already taken." };

    /// <summary>Returns why a display name is not allowed, or null when it is.</summary>
    public static string? Check(string? displayName)
    {
        var trimmed = displayName?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return "Display name is required.";
        }
        if (trimmed.Length > ApplicationUser.DisplayNameMaxLength)
        {
            return $"Display name must be at most {ApplicationUser.DisplayNameMaxLength} characters.";
        }
        if (!trimmed.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or '\''))
        {
            return "Display name may contain letters, digits, spaces and . _ - ' only.";
        }
        return null;
    }
}
