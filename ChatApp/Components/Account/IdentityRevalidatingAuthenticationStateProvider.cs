using System.Security.Claims;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Components.Account;

// A backstop to instant revocation: at least once a minute a connected circuit re-checks that its user still
// exists, is not locked or deactivated, has the same security stamp, and that its sign-in session still exists.
internal sealed partial class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>
    /// Each circuit's next check comes 30 to 60 seconds after its last, drawn afresh every time (the base class reads
    /// this before each wait). With a fixed minute, circuits opened together — a team signing in at nine, every tab
    /// reconnecting after a restart — would check in the same second of every minute, each a scope and two queries;
    /// drawn, they spread over the minute within a few rounds, and no circuit goes unchecked longer than a minute.
    /// </summary>
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30 + 30 * Random.Shared.NextDouble());

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var sessions = scope.ServiceProvider.GetRequiredService<SessionRevoker>();
        var principal = authenticationState.User;

        var user = await userManager.GetUserAsync(principal);
        if (user is null || user.IsDeactivated || await userManager.IsLockedOutAsync(user))
        {
            return Invalid(principal, user is null ? "user deleted" : user.IsDeactivated ? "user deactivated" : "user locked");
        }
        if (SessionKeys.SessionIdOf(principal) is not { } sessionId || !await sessions.SessionExistsAsync(sessionId, cancellationToken))
        {
            return Invalid(principal, "sign-in session ended");
        }
        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await userManager.GetSecurityStampAsync(user) || Invalid(principal, "security stamp changed");
    }

    private readonly ILogger logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();

    private bool Invalid(ClaimsPrincipal principal, string reason)
    {
        LogInvalid(principal.FindFirstValue(ClaimTypes.NameIdentifier), reason);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revalidation signed user {UserId} out of a circuit: {Reason}.")]
    private partial void LogInvalid(string? userId, string reason);
}
