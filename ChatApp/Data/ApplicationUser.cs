using Microsoft.AspNetCore.Identity;

namespace ChatApp.Data;

public sealed class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 40;

    /// <summary>A skeleton can be longer than its name: one character may stand for several.</summary>
    public const int DisplayNameSkeletonMaxLength = 4 * DisplayNameMaxLength;

    /// <summary>The name shown in chat instead of the email; unique ignoring case.</summary>
    [PersonalData]
    public string DisplayName { get; set; } = "";

    /// <summary>Upper-cased <see cref="DisplayName"/>, carrying the unique index.</summary>
    public string NormalizedDisplayName { get; set; } = "";

    /// <summary>
    /// The TR39 confusable skeleton of the name (Security's DisplayNameRules), carrying a unique index so no two
    /// accounts look alike. Null only for an older name that looks like an earlier one: both keep working.
    /// </summary>
    public string? DisplayNameSkeleton { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public DateTime? LastSeenAt { get; set; }

    /// <summary>A deactivated account cannot sign in; its sessions and circuits are ended.</summary>
    public bool IsDeactivated { get; set; }

    /// <summary>Set when an admin created the account or reset its password: the temporary one must be changed first.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>Browser notifications for mentions and direct messages while the tab is hidden.</summary>
    public bool NotificationsEnabled { get; set; } = true;

    /// <summary>A webhook's bot: posts through its webhook only, never signs in, and is listed nowhere as a person.</summary>
    public bool IsBot { get; set; }

    public static string NormalizeDisplayName(string displayName) => displayName.Trim().ToUpperInvariant();
}
