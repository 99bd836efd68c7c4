using ChatApp.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace ChatApp.Security;

/// <summary>
/// Runs Identity's security stamp check in a service scope of its own instead of the request's.
/// </summary>
/// <remarks>
/// Identity's validator is resolved from the request's services on every authenticated request, and with it the
/// sign-in manager, the user manager, their stores and a pooled database context. Those live as long as the request,
/// and the request behind a Blazor circuit is its WebSocket: every open tab held a database context (with EF's
/// own service scope) and the Identity object graph for as long as it stayed open — about a fifth of an idle
/// circuit's memory in the S1 heap profile (bench/FINDINGS.md). Here they are created for the check and released
/// when it ends. What the check does, and when, is Identity's own <see cref="SecurityStampValidator{TUser}"/>.
/// </remarks>
public sealed class OwnScopeSecurityStampValidator(IServiceScopeFactory scopes) : ISecurityStampValidator
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await using var scope = scopes.CreateAsyncScope();
        var validator = ActivatorUtilities.CreateInstance<SecurityStampValidator<ApplicationUser>>(scope.ServiceProvider);
        await validator.ValidateAsync(context);
    }
}
