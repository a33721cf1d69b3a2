using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Server.Audit;
using Beacon.Server.Identity;
using Beacon.Server.Policy;
using Beacon.Server.Storage;

namespace Beacon.Server.Hosts;

/// <summary>One-time host enrollment tokens: minted by an admin for host groups, stored only as an HMAC, used up by the first enrollment attempt.</summary>
public static class HostEnrollmentToken
{
    public const string Prefix = "beacon-host-";

    /// <summary>Sanity bound: the prefix and 43 base64url characters, with room to spare.</summary>
    public const int MaxLength = 128;

    public const string CreateKind = "host_token.create";

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    /// <summary>The longest a token may stay usable: it is a bearer credential.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    /// <summary>Whether a bearer token has the shape of a host enrollment token.</summary>
    public static bool HasShape(string token) => token.StartsWith(Prefix, StringComparison.Ordinal) && token.Length <= MaxLength;

    /// <summary>
    /// Mints a token for the groups and stores its HMAC with the audit event; returns the token and when it expires.
    /// Refuses a group no Hosts rule names: such a token could never enroll a host.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed group list, or a group without a Hosts rule (the message says which).</exception>
    public static async Task<(string Token, DateTimeOffset ExpiresAt)> MintAsync(IHostStore store, TokenDigest digest, PolicyDocument policy,
        IReadOnlyList<string> groups, TimeSpan lifetime, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (HostNames.CheckGroups(groups) is { } error)
        {
            throw new ArgumentException(error);
        }
        if (groups.FirstOrDefault(g => !(policy.Hosts ?? []).Any(r => r?.Group == g)) is { } uncovered)
        {
            throw new ArgumentException($"groups: no Hosts rule of the policy names group \"{uncovered}\", so no host could enroll with it");
        }
        var token = Prefix + OneTimeTokenProvider.Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now + lifetime;
        var tokenId = digest.AuditId(token);
        await store.CreateHostTokenAsync(
            new HostTokenRecord(digest.StorageHmac(token), JsonSerializer.Serialize(groups), now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), actor),
            new AuditDraft(CreateKind, AuditOutcome.Success, actor, string.Join(",", groups), new Dictionary<string, object?>
            {
                ["groups"] = groups,
                ["expires_at"] = expires.ToUnixTimeMilliseconds(),
                ["token_id"] = tokenId,
            }),
            cancellationToken);
        return (token, expires);
    }
}
