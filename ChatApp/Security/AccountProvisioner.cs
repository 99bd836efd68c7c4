using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>Gives a newly created account its roles and default rooms.</summary>
public sealed class AccountProvisioner(
    UserManager<ApplicationUser> userManager,
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomService rooms,
    IOptions<ChatOptions> options,
    ILogger<AccountProvisioner> logger)
{
    public async Task ProvisionAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        if (await ClaimFirstAdminAsync(cancellationToken) || (IsConfiguredAdmin(user.Email) && OwnsEmail(user)))
        {
            await userManager.AddToRoleAsync(user, Roles.Admin);
            logger.LogInformation("Granted {Role} to new user {UserId}", Roles.Admin, user.Id);
        }
        await rooms.JoinDefaultRoomAsync(user.Id, user.DisplayName, cancellationToken);
    }

    /// <summary>With email confirmation on, a <c>Chat:AdminEmails</c> address makes an admin once its owner proved it.</summary>
    public async Task EmailConfirmedAsync(ApplicationUser user)
    {
        if (IsConfiguredAdmin(user.Email) && OwnsEmail(user) && !await userManager.IsInRoleAsync(user, Roles.Admin))
        {
            await userManager.AddToRoleAsync(user, Roles.Admin);
            logger.LogInformation("Granted {Role} to user {UserId} on confirming a configured admin email", Roles.Admin, user.Id);
        }
    }

    private bool IsConfiguredAdmin(string? email) =>
        email is not null && options.Value.AdminEmails.Contains(email, StringComparer.OrdinalIgnoreCase);

    // Anyone can type an address at registration; when mail is on, only a confirmed one proves whose it is.
    private bool OwnsEmail(ApplicationUser user) =>
        user.EmailConfirmed || !userManager.Options.SignIn.RequireConfirmedAccount;

    /// <summary>
    /// Exactly one caller ever wins this insert, however many registrations race (on every server sharing the
    /// database: ON CONFLICT DO NOTHING means the same on SQLite and PostgreSQL).
    /// </summary>
    private async Task<bool> ClaimFirstAdminAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "SystemFlags" ("Name", "CreatedAt") VALUES ({SystemFlag.FirstAdminGranted}, {DateTime.UtcNow}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        return inserted == 1;
    }
}
