namespace ChatApp.Security;

/// <summary>
/// Names of the rate limit policies, attached to endpoints as metadata (<c>[EnableRateLimiting]</c>,
/// <c>RequireRateLimiting</c>) so that every spelling of a path that routing sends to the endpoint is counted.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Form posts that test a secret or send a mail (sign-in, registration, codes, password changes); GETs are free.</summary>
    public const string Account = "account";

    /// <summary>The Blazor negotiate request that precedes each circuit.</summary>
    public const string BlazorNegotiate = "blazor-negotiate";

    /// <summary>The Blazor connection itself, so refused upgrades cannot flood the audit log.</summary>
    public const string BlazorConnection = "blazor-connection";
}
