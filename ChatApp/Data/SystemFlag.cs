namespace ChatApp.Data;

/// <summary>A fact claimed by a unique insert, such as "the first admin was granted" or "single sign-on is required".</summary>
public sealed class SystemFlag
{
    public const string FirstAdminGranted = "first-admin-granted";

    /// <summary>Present while an admin requires single sign-on: password sign-in is off except for break-glass accounts.</summary>
    public const string SingleSignOnRequired = "single-sign-on-required";

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
