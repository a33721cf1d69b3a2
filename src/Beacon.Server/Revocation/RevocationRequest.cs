using System.Globalization;
using Beacon.Ssh;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Revocation;

/// <summary>What to revoke: exactly one of a certificate serial, a public key, or every live certificate of a user.</summary>
public sealed record RevocationRequest
{
    private RevocationRequest(string? serial, SshPublicKey? publicKey, string? username)
    {
        Serial = serial;
        PublicKey = publicKey;
        Username = username;
    }

    /// <summary>A serial in decimal, as `ssh-keygen -L` prints it.</summary>
    public string? Serial { get; }

    public SshPublicKey? PublicKey { get; }

    public string? Username { get; }

    /// <summary>What the audit event names as its subject.</summary>
    public string Subject => Serial ?? PublicKey?.Fingerprint ?? Username!;

    /// <summary>Checks a request's shape; the error says what is wrong in the caller's terms.</summary>
    /// <param name="serial">A decimal serial.</param>
    /// <param name="publicKey">A public key in OpenSSH one-line form.</param>
    /// <param name="username">A username.</param>
    public static (RevocationRequest? Request, string? Error) Create(string? serial, string? publicKey, string? username)
    {
        var given = new[] { serial, publicKey, username }.Count(v => v is not null);
        if (given != 1)
        {
            return (null, "give exactly one of serial, public key or username");
        }
        if (serial is not null)
        {
            // Serial 0 means "no serial" to OpenSSH and cannot be revoked by serial.
            return ulong.TryParse(serial, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n != 0
                ? (new RevocationRequest(n.ToString(CultureInfo.InvariantCulture), null, null), null)
                : (null, $"serial \"{Quote(serial)}\" is not a decimal serial above 0");
        }
        if (publicKey is not null)
        {
            try
            {
                return (new RevocationRequest(null, SshPublicKeyParser.ParseLine(publicKey.Trim()), null), null);
            }
            catch (SshFormatException e)
            {
                return (null, $"public key: {e.Message}");
            }
        }
        return username!.Length is > 0 and <= 256 && !username.Any(char.IsControl)
            ? (new RevocationRequest(null, null, username), null)
            : (null, "username: 1 to 256 characters, no control characters");
    }

    private static string Quote(string value) => value.Length > 32 ? value[..32] + "…" : value;
}
