using System.Security.Cryptography;
using System.Text;

namespace Beacon.Server.Identity;

/// <summary>
/// Identifiers for tokens that never reveal them: an HMAC under a server secret for audit records
/// (so a leaked audit log cannot be used to confirm a guessed token), a plain SHA-256 for one-time
/// tokens (256 random bits each, so the hash alone cannot be inverted).
/// </summary>
public sealed class TokenDigest(byte[] hmacKey)
{
    /// <summary>A short HMAC-SHA256 identifier for audit records.</summary>
    public string AuditId(string token) =>
        "hmac:" + Convert.ToHexStringLower(HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(token)).AsSpan(0, 16));

    /// <summary>The full HMAC-SHA256 of a token, for tokens stored so that a copy of the database alone cannot confirm a guess (host enrollment tokens).</summary>
    public string StorageHmac(string token) => Convert.ToHexStringLower(HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(token)));

    public static string StorageHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
