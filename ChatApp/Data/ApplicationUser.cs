using Microsoft.AspNetCore.Identity;

namespace ChatApp.Data;

public sealed class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 40;

    /// <summary>Status text follows the display name's length rule.</summary>
    public const int StatusTextMaxLength = DisplayNameMaxLength;

    /// <summary>One emoji, which may take several code units (a ZWJ sequence, a flag, a skin tone).</summary>
    public const int StatusEmojiMaxLength = 32;

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

    /// <summary>No browser notifications until then (UTC); the sidebar still counts.</summary>
    public DateTime? DoNotDisturbUntil { get; set; }

    /// <summary>The status shown next to the name: one emoji, a short text, or both.</summary>
    [PersonalData]
    public string? StatusEmoji { get; set; }

    [PersonalData]
    public string? StatusText { get; set; }

    /// <summary>When the status stops being shown (UTC); null keeps it until cleared.</summary>
    public DateTime? StatusExpiresAt { get; set; }

    /// <summary>A webhook's bot: posts through its webhook only, never signs in, and is listed nowhere as a person.</summary>
    public bool IsBot { get; set; }

    public static string NormalizeDisplayName(string displayName) => displayName.Trim().ToUpperInvariant();
}
