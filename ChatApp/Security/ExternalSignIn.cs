using System.Security.Claims;
using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

public enum ExternalSignInStatus
{
    SignedIn,
    LockedOut,
    Refused,
}

/// <summary>What came of a return from the provider; <see cref="Message"/> says why when refused.</summary>
public sealed record ExternalSignInOutcome(ExternalSignInStatus Status, string? Message = null)
{
    public static ExternalSignInOutcome Refuse(string message) => new(ExternalSignInStatus.Refused, $"Error: {message}");
}

/// <summary>
/// Signs in someone the provider vouched for: through a login linked before, by linking an existing account whose
/// email the provider verified, or by creating an account when registration is open. The provider's tokens are
/// kept (AspNetUserTokens) for <see cref="ProviderRevalidator"/>.
/// </summary>
public sealed class ExternalSignIn(
    SignInManager<ApplicationUser> signInManager,
    AccountProvisioner provisioner,
    AuditLog audit,
    IOptions<ChatOptions> chatOptions,
    IOptions<SingleSignOnOptions> ssoOptions,
    ILogger<ExternalSignIn> logger)
{
    /// <summary>The OpenID Connect claim (not mapped by the handler): whether the provider checked the address.</summary>
    public const string EmailVerifiedClaim = "email_verified";

    private UserManager<ApplicationUser> Users => signInManager.UserManager;

    public async Task<ExternalSignInOutcome> SignInAsync(ExternalLoginInfo info)
    {
        var provider = info.ProviderDisplayName ?? info.LoginProvider;
        if (ssoOptions.Value.Providers.TryGetValue(info.LoginProvider, out var settings)
            && settings.RequiredClaims.Any(required => info.Principal.FindFirstValue(required.Key) != required.Value))
        {
            logger.LogWarning("Refused a {Provider} sign-in without the required claims.", info.LoginProvider);
            return ExternalSignInOutcome.Refuse($"Your {provider} account is not one this server accepts (for example, not your organization's).");
        }
        var linked = await Users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (linked is null)
        {
            var email = info.Principal.FindFirstValue(ClaimTypes.Email);
            if (string.IsNullOrWhiteSpace(email))
            {
                return ExternalSignInOutcome.Refuse($"{provider} did not share your email address, so no account could be found or created.");
            }
            var verified = IsEmailVerified(info);
            var existing = await Users.FindByEmailAsync(email);
            var refusal = existing is null ? await CreateAsync(info, email, verified, provider) : await LinkAsync(info, existing, verified, provider);
            if (refusal is not null)
            {
                return refusal;
            }
        }
        return await CompleteAsync(info, provider);
    }

    private async Task<ExternalSignInOutcome?> LinkAsync(ExternalLoginInfo info, ApplicationUser user, bool verified, string provider)
    {
        if (!verified)
        {
            logger.LogWarning("Refused to link {Provider} to user {UserId}: the provider did not verify the email address.", info.LoginProvider, user.Id);
            return ExternalSignInOutcome.Refuse($"An account with this email exists, but {provider} does not confirm the address is yours, so it was not linked. Sign in another way and link {provider} under Account → External logins, or ask an administrator.");
        }
        // Someone could have registered this address without owning it (no mail confirms it); linking would hand the
        // owner an account whose password that person knows.
        if (!user.EmailConfirmed)
        {
            return ExternalSignInOutcome.Refuse($"An account with this email exists, but its address was never confirmed here, so {provider} was not linked to it. Sign in to it and link {provider} under Account → External logins, or ask an administrator.");
        }
        var added = await Users.AddLoginAsync(user, info);
        if (!added.Succeeded)
        {
            return ExternalSignInOutcome.Refuse(Describe(added));
        }
        await audit.WriteAsync(AuditActions.ExternalLoginLinked, new AuditActor(user.Id, user.DisplayName, null), user.Id, user.DisplayName, $"{info.LoginProvider}, by verified email");
        return null;
    }

    private async Task<ExternalSignInOutcome?> CreateAsync(ExternalLoginInfo info, string email, bool verified, string provider)
    {
        if (chatOptions.Value.Registration == RegistrationMode.Closed)
        {
            return ExternalSignInOutcome.Refuse($"Registration is closed on this server, so no account was created for you. Ask an administrator to create one with your {provider} email address, then sign in with {provider} again.");
        }
        if (!verified)
        {
            return ExternalSignInOutcome.Refuse($"{provider} does not confirm that the email address it sent is yours, so no account was created.");
        }
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = DisplayNameOf(info, email) };
        var created = await Users.CreateAsync(user);
        if (!created.Succeeded && created.Errors.Any(e => e.Code.Contains("DisplayName", StringComparison.Ordinal)))
        {
            // The provider's name is taken or looks like another; the address's local part usually is not.
            user.DisplayName = Truncate(email.Split('@')[0]);
            created = await Users.CreateAsync(user);
        }
        if (!created.Succeeded)
        {
            return ExternalSignInOutcome.Refuse(Describe(created));
        }
        await provisioner.ProvisionAsync(user);
        var added = await Users.AddLoginAsync(user, info);
        if (!added.Succeeded)
        {
            return ExternalSignInOutcome.Refuse(Describe(added));
        }
        logger.LogInformation("User {UserId} was created on first sign-in with {Provider}.", user.Id, info.LoginProvider);
        await audit.WriteAsync(AuditActions.UserCreated, new AuditActor(user.Id, user.DisplayName, null), user.Id, user.DisplayName, $"first sign-in with {info.LoginProvider}");
        return null;
    }

    private async Task<ExternalSignInOutcome> CompleteAsync(ExternalLoginInfo info, string provider)
    {
        // The provider is the second factor's replacement here: it enforces its own.
        var result = await signInManager.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        var user = await Users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (result.Succeeded && user is not null)
        {
            await signInManager.UpdateExternalAuthenticationTokensAsync(info);
            await audit.WriteAsync(AuditActions.SignIn, new AuditActor(user.Id, user.DisplayName, null), user.Id, user.DisplayName, $"single sign-on ({info.LoginProvider})");
            return new ExternalSignInOutcome(ExternalSignInStatus.SignedIn);
        }
        await audit.WriteAsync(AuditActions.SignInFailed, new AuditActor(user?.Id, user?.DisplayName, null), user?.Id, user?.DisplayName,
            $"single sign-on ({info.LoginProvider}): {(result.IsLockedOut ? "locked out" : "not allowed")}");
        return result.IsLockedOut
            ? new ExternalSignInOutcome(ExternalSignInStatus.LockedOut)
            : ExternalSignInOutcome.Refuse($"Your ChatApp account cannot sign in with {provider} now (it may be deactivated). Ask an administrator.");
    }

    private bool IsEmailVerified(ExternalLoginInfo info) =>
        string.Equals(info.Principal.FindFirstValue(EmailVerifiedClaim), "true", StringComparison.OrdinalIgnoreCase)
        || (ssoOptions.Value.Providers.TryGetValue(info.LoginProvider, out var provider) && provider.TrustEmailAddresses);

    private static string DisplayNameOf(ExternalLoginInfo info, string email) =>
        Truncate(info.Principal.FindFirstValue("name") ?? info.Principal.FindFirstValue(ClaimTypes.Name) ?? email.Split('@')[0]);

    private static string Truncate(string name) =>
        name.Trim() is var trimmed && trimmed.Length > ApplicationUser.DisplayNameMaxLength ? trimmed[..ApplicationUser.DisplayNameMaxLength] : name.Trim();

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
