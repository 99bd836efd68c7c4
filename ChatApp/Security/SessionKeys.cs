using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace ChatApp.Security;

public static class SessionKeys
{
    /// <summary>Added by the ticket store to the signed-in principal: the hashed id of its session.</summary>
    public const string ClaimType = "chatapp:session_id";

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the database stores and what circuits are filed under: the key's SHA-256, never the key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string? SessionIdOf(ClaimsPrincipal user) =>
        user.FindFirst(ClaimType)?.Value is { Length: > 0 } id ? id : null;

    /// <summary>
    /// For <see cref="SecurityStampValidatorOptions.OnRefreshingPrincipal"/>: the principal Identity rebuilds after
    /// a security stamp check keeps the session claim of the principal it replaces.
    /// </summary>
    public static Task KeepSessionAsync(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is { } current && SessionIdOf(current) is { } sessionId
            && context.NewPrincipal?.Identity is ClaimsIdentity identity && SessionIdOf(context.NewPrincipal) is null)
        {
            identity.AddClaim(new Claim(ClaimType, sessionId));
        }
        return Task.CompletedTask;
    }
}
