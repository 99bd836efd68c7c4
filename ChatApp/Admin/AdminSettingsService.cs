using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;

namespace ChatApp.Admin;

/// <summary>Server-wide sign-in settings as the admin console shows them.</summary>
public sealed record SignInSettings(bool SingleSignOnRequired, IReadOnlyList<string> Providers, IReadOnlyList<string> BreakGlassEmails);

/// <summary>Server-wide settings an admin changes at run time, re-authorized and audited per change.</summary>
public sealed class AdminSettingsService(
    AdminGuard guard,
    SingleSignOnPolicy singleSignOn,
    AuditLog audit)
{
    public const string NoProvider = "No single sign-on provider is configured (Authentication:OpenIdConnect:Providers).";

    public async Task<ChatResult<SignInSettings>> GetSignInAsync(AuditActor actor)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult<SignInSettings>.Fail(refusal);
        }
        return ChatResult<SignInSettings>.Success(
            new SignInSettings(await singleSignOn.IsRequiredAsync(), singleSignOn.ProviderDisplayNames, singleSignOn.BreakGlassEmails));
    }

    /// <summary>Turns password sign-in off (or back on) for everyone but the break-glass accounts.</summary>
    public async Task<ChatResult> SetSingleSignOnRequiredAsync(AuditActor actor, bool required)
    {
        if (await guard.RefuseAsync(actor) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        if (required && !singleSignOn.HasProviders)
        {
            return ChatResult.Fail(NoProvider);
        }
        await singleSignOn.SetRequiredAsync(required);
        await audit.WriteAsync(AuditActions.SingleSignOnRequired, actor, details: required ? "on: password sign-in off except break-glass accounts" : "off");
        return ChatResult.Ok;
    }
}
