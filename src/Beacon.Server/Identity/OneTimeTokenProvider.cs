using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Server.Storage;

namespace Beacon.Server.Identity;

/// <summary>
/// The "token" provider: single-use, short-lived tokens minted by `beacon-server token create`, stored
/// only as a hash. They bootstrap a fresh install without an identity provider.
/// </summary>
public sealed class OneTimeTokenProvider(string name, IBeaconStore store, TimeProvider clock) : IIdentityProvider
{
    public const string Prefix = "beacon-ott-";
    public const string UserKind = "user";

    public string Name => name;

    public string Type => "token";

    public bool Claims(string token) => token.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A new token: the prefix and 256 random bits, base64url.</summary>
    public static string NewToken() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public async Task<AuthenticationResult> AuthenticateAsync(string token, AuthenticationContext context, CancellationToken cancellationToken)
    {
        if (!Claims(token) || token.Length > 128)
        {
            return AuthenticationResult.Invalid("not a one-time token");
        }
        // Consuming is one conditional UPDATE: a replayed or expired token matches no row.
        var hash = TokenDigest.StorageHash(token);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var record = context.ForIssuance
            ? await store.ConsumeOneTimeTokenAsync(hash, UserKind, now, cancellationToken)
            : await store.PeekOneTimeTokenAsync(hash, UserKind, now, cancellationToken);
        if (record is null)
        {
            return AuthenticationResult.Invalid("the one-time token is unknown, expired or already used");
        }
        var principals = JsonSerializer.Deserialize<List<string>>(record.Principals) ?? [];
        return AuthenticationResult.Success(new AuthenticatedIdentity(
            name, record.Username, record.Username, null, [], new Dictionary<string, string>(), principals));
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
