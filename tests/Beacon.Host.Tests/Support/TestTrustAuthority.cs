using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Krl;
using Beacon.Ssh.SshSig;
using Beacon.Trust.Bundle;
using Beacon.Trust.OpenPgp;

namespace Beacon.Host.Tests.Support;

/// <summary>
/// What the server holds, in the test: a user CA, a host CA, the revocation key and the bundle-signing
/// OpenPGP key. Builds and signs bundles and KRLs as the server does, and issues user certificates.
/// </summary>
public sealed class TestTrustAuthority : IDisposable
{
    public SshPrivateKey UserCa { get; } = Ed25519PrivateKey.Generate();

    public SshPrivateKey HostCa { get; } = Ed25519PrivateKey.Generate();

    public SshPrivateKey RevocationKey { get; } = Ed25519PrivateKey.Generate();

    public OpenPgpSigningKey BundleKey { get; } = OpenPgpSigningKey.Generate("beacon test bundle key", DateTimeOffset.UtcNow.AddMinutes(-1));

    /// <summary>The bundle's host-group map: group → accounts.</summary>
    public Dictionary<string, IReadOnlyList<string>> HostGroups { get; } = new(StringComparer.Ordinal) { ["prod"] = ["root"], ["runners"] = ["root"] };

    public TrustBundle Bundle(long version, params SshPublicKey[] nextUserCas) => new(
        version,
        DateTimeOffset.UtcNow.AddSeconds(-DateTimeOffset.UtcNow.Second),
        [new BundleCaKey(UserCa.PublicKey, BundleCaKey.Active), .. nextUserCas.Select(k => new BundleCaKey(k, BundleCaKey.Next))],
        [new BundleCaKey(HostCa.PublicKey, BundleCaKey.Active)],
        [RevocationKey.PublicKey],
        new Dictionary<string, IReadOnlyList<string>>(HostGroups));

    /// <summary>The document's bytes and its armored detached signature by <paramref name="signer"/> (the bundle key by default).</summary>
    public (byte[] Document, string Signature) Signed(TrustBundle bundle, OpenPgpSigningKey? signer = null)
    {
        var document = TrustBundleDocument.Serialize(bundle);
        return (document, (signer ?? BundleKey).SignDetached(document, DateTimeOffset.UtcNow));
    }

    public void Publish(TrustServerDouble server, TrustBundle bundle)
    {
        var (document, signature) = Signed(bundle);
        server.PublishBundle(document, signature, bundle.Version);
    }

    /// <summary>A KRL of this version revoking these serials of the user CA, and its SSHSIG by <paramref name="signer"/> (the revocation key by default).</summary>
    public (byte[] Krl, string Signature) Krl(ulong version, IEnumerable<ulong> serials, SshPrivateKey? signer = null)
    {
        var krl = new KrlBuilder { Version = version, Comment = "test" }.RevokeSerials(UserCa.PublicKey, serials).Build();
        return (krl, SshSigSigner.Sign(signer ?? RevocationKey, krl, "beacon-krl@beaconssh").ToArmored());
    }

    public void PublishKrl(TrustServerDouble server, ulong version, params ulong[] serials)
    {
        var (krl, signature) = Krl(version, serials);
        server.PublishKrl(krl, signature, (long)version);
    }

    /// <summary>A user certificate for <paramref name="key"/> with these principals, valid for ten minutes.</summary>
    public SshCertificate UserCertificate(SshPublicKey key, ulong serial, params string[] principals)
    {
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new SshCertificateBuilder
        {
            PublicKey = key,
            Type = SshCertificateType.User,
            KeyId = "test",
            Principals = principals,
            ValidAfter = now - 60,
            ValidBefore = now + 600,
            Serial = serial,
        }.Sign(UserCa);
    }

    public void Dispose()
    {
        UserCa.Dispose();
        HostCa.Dispose();
        RevocationKey.Dispose();
        BundleKey.Dispose();
    }
}
