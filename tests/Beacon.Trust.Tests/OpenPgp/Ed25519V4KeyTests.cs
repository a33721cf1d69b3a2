using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Trust.OpenPgp;
using Beacon.Trust.OpenPgp.Encoding;
using Beacon.Trust.OpenPgp.Keys;
using Beacon.Trust.OpenPgp.Packets;
using Beacon.Trust.OpenPgp.Signatures;
using Beacon.Trust.OpenPgp.Signing;

namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>
/// RFC 9580 Ed25519 (27) in a v4 key, which newer tools (gpg 2.4+, Sequoia) make. gpg 2.2 cannot, so these
/// are built here with the same packet code and checked for self-consistency only.
/// </summary>
public sealed class Ed25519V4KeyTests
{
    private static readonly DateTimeOffset Created = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("bundle\n");

    [Fact]
    public void Ed25519AlgorithmKeyVerifiesItsSignature()
    {
        using var secret = Ed25519PrivateKey.Generate();
        var key = PublicKeyPacket.CreateEd25519(((Ed25519PublicKey)secret.PublicKey).Key, Created);
        var userId = Encoding.UTF8.GetBytes("New Format <new@example.test>");
        var certification = SignatureBuilder.Build(SignatureType.PositiveCertification, secret,
            [SignatureBuilder.IssuerFingerprint(key), SignatureBuilder.CreationTime(Created), new(Subpacket.KeyFlags, false, [0x03])], [],
            hash => KeySignatureCheck.UserIdData(hash, key, userId), PublicKeyAlgorithm.Ed25519);
        using var transferable = new MemoryStream();
        PacketWriter.Write(transferable, PacketTag.PublicKey, key.Body);
        PacketWriter.Write(transferable, PacketTag.UserId, userId);
        PacketWriter.Write(transferable, PacketTag.Signature, certification);
        var parsed = OpenPgpPublicKey.Parse(transferable.ToArray());

        var signature = SignatureBuilder.Build(SignatureType.BinaryDocument, secret,
            [SignatureBuilder.IssuerFingerprint(key), SignatureBuilder.CreationTime(Created.AddDays(1))], [],
            hash => hash.AppendData(Document), PublicKeyAlgorithm.Ed25519);
        using var packet = new MemoryStream();
        PacketWriter.Write(packet, PacketTag.Signature, signature);
        var armored = Encoding.ASCII.GetBytes(OpenPgpArmor.Encode(packet.ToArray(), OpenPgpArmor.Signature));

        Assert.Equal(key.Fingerprint, parsed.Fingerprint);
        var result = parsed.VerifyDetached(Document, armored);
        Assert.True(result.IsValid, result.Reason);
        Assert.False(parsed.VerifyDetached([.. Document, 0x20], armored).IsValid);
    }
}
