using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

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
}
