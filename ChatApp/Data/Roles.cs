namespace ChatApp.Data;

/// <summary>Identity role names; the admin role is seeded by a migration.</summary>
public static class Roles
{
    public const string Admin = "Admin";

    /// <summary>Fixed id so the role can be seeded by a migration.</summary>
    internal const string AdminRoleId = "6f1c7a52-2f3e-4c39-9d5e-0a1d6f0c2a01";
}
