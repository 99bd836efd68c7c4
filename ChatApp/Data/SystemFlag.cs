namespace ChatApp.Data;

/// <summary>A one-time fact claimed by a unique insert, such as "the first admin was granted".</summary>
public sealed class SystemFlag
{
    public const string FirstAdminGranted = "first-admin-granted";

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
