using Beacon.Ssh.Keys;

namespace Beacon.Trust.Bundle;

/// <summary>
/// The trust bundle: everything a host needs to enforce the server's decisions offline. Hosts install
/// only a bundle whose detached OpenPGP signature verifies with the pinned bundle key and whose version
/// is not lower than the one installed (docs/trust-protocol.md).
/// </summary>
/// <param name="Version">Monotonic: every change of trust material makes a new, higher version.</param>
/// <param name="UserCaKeys">What sshd trusts for user certificates (TrustedUserCAKeys).</param>
/// <param name="HostCaKeys">What users trust hosts by (@cert-authority lines).</param>
/// <param name="RevocationKeys">Keys whose SSHSIG over the KRL a host accepts.</param>
/// <param name="HostGroups">Host group → the accounts a certificate scoped to that group may name.</param>
public sealed record TrustBundle(
    long Version,
    DateTimeOffset CreatedAt,
    IReadOnlyList<BundleCaKey> UserCaKeys,
    IReadOnlyList<BundleCaKey> HostCaKeys,
    IReadOnlyList<SshPublicKey> RevocationKeys,
    IReadOnlyDictionary<string, IReadOnlyList<string>> HostGroups);

/// <summary>A CA key and its lifecycle state: next (trusted, not yet signing), active (signing), previous (trusted until retired).</summary>
public sealed record BundleCaKey(SshPublicKey Key, string State)
{
    public const string Next = "next";
    public const string Active = "active";
    public const string Previous = "previous";

    public static bool IsKnownState(string state) => state is Next or Active or Previous;
}
