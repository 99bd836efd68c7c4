using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ChatApp.Webhooks;

/// <summary>The secret part of a webhook's URL: 32 random bytes, base64url; only its SHA-256 hash is stored.</summary>
public static class WebhookSecret
{
    private const int TokenBytes = 32;

    public static (string Token, byte[] Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        return (token, Hash(token));
    }

    /// <summary>The hash of whatever was presented; malformed tokens hash too, so every refusal takes the same path.</summary>
    public static byte[] Hash(string? token) => SHA256.HashData(Encoding.UTF8.GetBytes(token ?? ""));

    /// <summary>Compares in constant time, so response timing tells nothing about how much of a guess was right.</summary>
    public static bool Matches(byte[] presentedHash, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);
}
