using ChatApp.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Identity's sign-in manager, refusing deactivated accounts and webhook bots, refusing password and passkey sign-in
/// while single sign-on is required (break-glass accounts aside), and writing sign-ins to the audit log.
/// </summary>
internal sealed class ChatSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    AuditLog audit,
    SingleSignOnPolicy singleSignOn)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ApplicationUser user) =>
        !user.IsDeactivated && !user.IsBot && await base.CanSignInAsync(user);

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            // The caller gets the same answer as for a wrong password; only the log knows.
            await audit.WriteAsync(AuditActions.SignInFailed, AuditActor.Anonymous(userName, ClientIp), details: "unknown account");
            return SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> PasswordSignInAsync(ApplicationUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var actor = new AuditActor(user.Id, user.DisplayName, ClientIp);
        if (!await singleSignOn.AllowsLocalSignInAsync(user))
        {
            await audit.WriteAsync(AuditActions.SignInFailed, actor, user.Id, user.DisplayName, "password refused: single sign-on is required");
            return SignInResult.NotAllowed;
        }
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        var (action, details) = result switch
        {
            { Succeeded: true } => (AuditActions.SignIn, "password"),
            { RequiresTwoFactor: true } => (AuditActions.SignIn, "password accepted, second factor pending"),
            { IsLockedOut: true } => (AuditActions.LockedOut, "sign-in refused: locked out"),
            { IsNotAllowed: true } => (AuditActions.SignInFailed, "not allowed (unconfirmed or deactivated)"),
            _ => (AuditActions.SignInFailed, "wrong password"),
        };
        await audit.WriteAsync(action, actor, user.Id, user.DisplayName, details);
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null)
        {
            await audit.WriteAsync(result.Succeeded ? AuditActions.SignIn : AuditActions.SignInFailed,
                new AuditActor(user.Id, user.DisplayName, ClientIp), user.Id, user.DisplayName, "authenticator code");
        }
        return result;
    }

    public override async Task<PasskeyAssertionResult<ApplicationUser>> PerformPasskeyAssertionAsync(string credentialJson)
    {
        var result = await base.PerformPasskeyAssertionAsync(credentialJson);
        if (result.Succeeded && !await singleSignOn.AllowsLocalSignInAsync(result.User))
        {
            await audit.WriteAsync(AuditActions.SignInFailed, new AuditActor(result.User.Id, result.User.DisplayName, ClientIp),
                result.User.Id, result.User.DisplayName, "passkey refused: single sign-on is required");
            return PasskeyAssertionResult.Fail<ApplicationUser>(new PasskeyException("This server requires single sign-on."));
        }
        return result;
    }

    private string? ClientIp => Context.Connection.RemoteIpAddress?.ToString();
}
