using System.Globalization;
using System.Text;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>
/// Display names are 1-40 visible characters, stored normalized, and unique by how they look: no one can take a
/// name that renders like an existing person's (case, spacing, compatibility forms, look-alike letters).
/// </summary>
internal sealed class DisplayNameValidator(IDbContextFactory<ApplicationDbContext> dbFactory) : IUserValidator<ApplicationUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        if (DisplayNameRules.Check(user.DisplayName) is { } problem)
        {
            return IdentityResult.Failed(new IdentityError { Code = "InvalidDisplayName", Description = problem });
        }

        var skeleton = DisplayNameRules.Apply(user);
        await using var db = await dbFactory.CreateDbContextAsync();
        var taken = await db.Users.AnyAsync(u => (u.NormalizedDisplayName == user.NormalizedDisplayName || u.DisplayNameSkeleton == skeleton) && u.Id != user.Id);
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
        if (displayName is not null && displayName.Any(IsInvisible))
        {
            return "Display name may not contain invisible, control or text-direction characters.";
        }
        var trimmed = Normalize(displayName);
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

    /// <summary>NFKC (compatibility forms like full-width letters become the plain ones), runs of spaces become one, trimmed.</summary>
    public static string Normalize(string? displayName)
    {
        var composed = (displayName ?? "").Normalize(NormalizationForm.FormKC);
        return string.Join(' ', composed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// What two names that look alike share: the TR39 skeleton, lower-cased and skeletonized again so that
    /// case differences count too ("AIice" with a capital I, "alice" and "Alice" share one).
    /// </summary>
    public static string Skeleton(string displayName) =>
        ConfusableSkeleton.Of(ConfusableSkeleton.Of(Normalize(displayName)).ToLowerInvariant());

    /// <summary>Stores the name in its normalized form with its lookup keys; returns the skeleton.</summary>
    public static string Apply(ApplicationUser user)
    {
        user.DisplayName = Normalize(user.DisplayName);
        user.NormalizedDisplayName = ApplicationUser.NormalizeDisplayName(user.DisplayName);
        user.DisplayNameSkeleton = Skeleton(user.DisplayName);
        return user.DisplayNameSkeleton;
    }

    // Controls (tabs, line breaks), format characters (zero-width joiners, bidi overrides and isolates) and
    // unassigned or private-use code points can make two different names render the same.
    internal static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse;
}
