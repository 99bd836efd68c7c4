using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace ChatApp.Security;

public static class SessionKeys
{
    /// <summary>The claim the cookie handler adds with the session key when a session store is used.</summary>
    public const string ClaimType = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the database stores and what circuits are filed under: the key's SHA-256, never the key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string? SessionIdOf(ClaimsPrincipal user) =>
        user.FindFirst(ClaimType)?.Value is { Length: > 0 } key ? Hash(key) : null;
}
