using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ChatApp.Security;

/// <summary>Settings of the <c>Authentication:OpenIdConnect</c> section: the single sign-on providers.</summary>
public sealed partial class SingleSignOnOptions
{
    public const string SectionName = "Authentication:OpenIdConnect";

    /// <summary>Providers by name; the name is the authentication scheme and part of the callback path.</summary>
    public Dictionary<string, OpenIdProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often the provider is asked whether a signed-in person may still use ChatApp.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RevalidateEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accounts that keep password sign-in while single sign-on is required (the way back in when the provider fails).</summary>
    public string[] BreakGlassEmails { get; set; } = [];

    public bool IsBreakGlass(string? email) =>
        email is not null && BreakGlassEmails.Contains(email, StringComparer.OrdinalIgnoreCase);

    /// <summary>Letters, digits and dashes: the name ends up in a URL path and a cookie name.</summary>
    public static bool IsValidName(string name) => ProviderName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")]
    private static partial Regex ProviderName();
}

/// <summary>One OpenID Connect provider (Entra ID, Keycloak, Google Workspace…).</summary>
public sealed class OpenIdProviderOptions
{
    /// <summary>Asked for when <see cref="Scopes"/> is empty: the refresh token lets ChatApp revalidate the person later.</summary>
    public static readonly string[] DefaultScopes = ["openid", "profile", "email", "offline_access"];

    [Required]
    public string Authority { get; set; } = "";

    [Required]
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>The button reads "Sign in with {DisplayName}"; the provider's name when unset.</summary>
    public string? DisplayName { get; set; }

    public string[] Scopes { get; set; } = [];

    /// <summary>Off only for a provider on plain HTTP inside a test or lab network.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Treats every email address this provider sends as verified, for a directory whose addresses the organization
    /// itself assigns (Entra ID sends no <c>email_verified</c> claim). Off: only <c>email_verified=true</c> counts.
    /// </summary>
    public bool TrustEmailAddresses { get; set; }

    /// <summary>Extra authorization request parameters, e.g. Google's <c>access_type=offline</c> for a refresh token.</summary>
    public Dictionary<string, string> AuthorizationParameters { get; set; } = [];

    /// <summary>
    /// Claims a person's token must carry with exactly these values, e.g. Google Workspace's <c>hd</c> (the company
    /// domain): without it any Google account could sign in.
    /// </summary>
    public Dictionary<string, string> RequiredClaims { get; set; } = [];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Length == 0 ? DefaultScopes : ["openid", .. Scopes.Where(s => s != "openid")];
}
