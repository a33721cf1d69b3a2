namespace Beacon.Server.Trust;

/// <summary>The trust bundle's configuration, section Beacon:Trust.</summary>
public sealed class TrustOptions
{
    public const string ServerSigning = "server";
    public const string OfflineSigning = "offline";

    /// <summary>
    /// server (default): the server signs each new version with its own OpenPGP key (DATA/ca/bundle.key.enc).
    /// offline: each new version waits as a draft until an operator uploads a signature by the key in <see cref="OperatorKeyFile"/>.
    /// </summary>
    public string Signing { get; set; } = ServerSigning;

    /// <summary>offline: the operator's armored OpenPGP public key (RSA or Ed25519) that signs bundles.</summary>
    public string? OperatorKeyFile { get; set; }

    /// <summary>Accounts per host group added to those the policy grants (group → accounts).</summary>
    public Dictionary<string, List<string>> HostGroupAccounts { get; set; } = [];

    public bool IsOffline => Signing == OfflineSigning;
}
