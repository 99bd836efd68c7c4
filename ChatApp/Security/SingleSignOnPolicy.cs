using ChatApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Whether password sign-in is still allowed: an admin can require single sign-on for everyone but the
/// break-glass accounts named in configuration. Stored as a <see cref="SystemFlag"/>, so every server sees it.
/// </summary>
public sealed class SingleSignOnPolicy(IDbContextFactory<ApplicationDbContext> dbFactory, IOptions<SingleSignOnOptions> options)
{
    public const string PasswordSignInOff = "Error: This server requires single sign-on. Use a sign-in button above.";

    public bool HasProviders => options.Value.Providers.Count > 0;

    public IReadOnlyList<string> ProviderDisplayNames => [.. options.Value.Providers.Select(p => p.Value.DisplayName ?? p.Key)];

    public IReadOnlyList<string> BreakGlassEmails => options.Value.BreakGlassEmails;

    public async Task<bool> IsRequiredAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SystemFlags.AnyAsync(f => f.Name == SystemFlag.SingleSignOnRequired, cancellationToken);
    }

    /// <summary>Password (and passkey) sign-in: always for a break-glass account, otherwise only while SSO is not required.</summary>
    public async Task<bool> AllowsLocalSignInAsync(ApplicationUser user) =>
        options.Value.IsBreakGlass(user.Email) || !await IsRequiredAsync();

    /// <summary>Turns the requirement on or off; callers authorize (the admin console) and audit.</summary>
    public async Task SetRequiredAsync(bool required, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (required)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "SystemFlags" ("Name", "CreatedAt") VALUES ({SystemFlag.SingleSignOnRequired}, {DateTime.UtcNow}) ON CONFLICT DO NOTHING""",
                cancellationToken);
        }
        else
        {
            await db.SystemFlags.Where(f => f.Name == SystemFlag.SingleSignOnRequired).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
