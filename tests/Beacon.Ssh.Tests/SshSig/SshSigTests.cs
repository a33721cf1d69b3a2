using System.Text;
using Beacon.Ssh.Keys;
using Beacon.Ssh.SshSig;
using Beacon.Ssh.Tests.Vectors;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.SshSig;

/// <summary>Our SSHSIG signer, verifier and bounded parser on their own.</summary>
public sealed class SshSigTests
{
    private const string Namespace = "beacon-krl@beaconssh";
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("the exact bytes of a KRL");

    [Fact]
    public void SignatureRoundTripsAndVerifiesOnlyForItsMessageNamespaceAndKey()
    {
        using var key = Ed25519PrivateKey.Generate();
        using var other = Ed25519PrivateKey.Generate();
        var signature = SshSigSigner.Sign(key, Message, Namespace);

        var parsed = SshSigParser.ParseArmored(signature.ToArmored());
        Assert.Equal(signature, parsed);
        Assert.Equal(signature.ToBlob(), parsed.ToBlob());
        Assert.True(SshSigVerifier.Verify(parsed, Message, Namespace, key.PublicKey));
        Assert.False(SshSigVerifier.Verify(parsed, Message, Namespace, other.PublicKey));
        Assert.False(SshSigVerifier.Verify(parsed, Message, "git", key.PublicKey));
        Assert.False(SshSigVerifier.Verify(parsed, Message.AsSpan(1), Namespace, key.PublicKey));
    }

    [Fact]
    public void ArmorIsWrappedAtSeventyColumnsLikeSshKeygen()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 3072);
        var lines = SshSigSigner.Sign(key, Message, Namespace).ToArmored().Split('\n');
        Assert.Equal(SshSigFormat.BeginArmor, lines[0]);
        Assert.Equal(SshSigFormat.EndArmor, lines[^2]);
        Assert.Equal("", lines[^1]);
        Assert.All(lines[1..^3], l => Assert.Equal(SshSigFormat.ArmorLineLength, l.Length));
        Assert.InRange(lines[^3].Length, 1, SshSigFormat.ArmorLineLength);
    }

    [Fact]
    public void Sha256SignaturesVerifyToo()
    {
        using var key = Ed25519PrivateKey.Generate();
        var signature = SshSigSigner.Sign(key, Message, Namespace, SshSigFormat.Sha256);
        Assert.True(SshSigVerifier.Verify(SshSigParser.Parse(signature.ToBlob()), Message, Namespace, key.PublicKey));
    }

    [Fact]
    public void ATamperedSignedFieldFailsVerification()
    {
        using var key = Ed25519PrivateKey.Generate();
        var signature = SshSigSigner.Sign(key, Message, Namespace);
        Assert.False(SshSigVerifier.Verify(signature with { HashAlgorithm = SshSigFormat.Sha256 }, Message, Namespace, key.PublicKey));
        Assert.False(SshSigVerifier.Verify(signature with { Reserved = new byte[] { 1 } }, Message, Namespace, key.PublicKey));
    }

    [Fact]
    public void EveryTruncatedPrefixIsRefused()
    {
        using var key = Ed25519PrivateKey.Generate();
        var signature = SshSigSigner.Sign(key, Message, Namespace);
        Truncation.EveryPrefixIsRefused(signature.ToBlob(), blob => SshSigParser.Parse(blob));
        var armored = signature.ToArmored();
        Truncation.EveryPrefixIsRefused(armored, text => SshSigParser.ParseArmored(text), armored.Length - 1);
    }

    public static TheoryData<string, byte[]> MalformedBlobs()
    {
        using var key = Ed25519PrivateKey.Generate();
        var good = SshSigSigner.Sign(key, Message, Namespace);
        byte[] Blob(string magic = "SSHSIG", uint version = 1, string ns = Namespace, string hash = "sha512", byte[]? keyBlob = null, byte[]? tail = null)
        {
            var writer = new SshWriter();
            writer.WriteRaw(Encoding.ASCII.GetBytes(magic)).WriteUInt32(version).WriteString(keyBlob ?? key.PublicKey.Blob.ToArray())
                .WriteString(ns).WriteString(ReadOnlySpan<byte>.Empty).WriteString(hash).WriteString(good.Signature.ToWire());
            writer.WriteRaw(tail ?? []);
            return writer.ToArray();
        }
        return new TheoryData<string, byte[]>
        {
            { "wrong magic", Blob(magic: "SSHSIH") },
            { "version 2", Blob(version: 2) },
            { "empty namespace", Blob(ns: "") },
            { "sha1 hash", Blob(hash: "sha1") },
            { "a key of an unknown type", Blob(keyBlob: new SshWriter().WriteString("ssh-foo").WriteString("x").ToArray()) },
            { "a trailing byte", Blob(tail: [0]) },
            { "a length field past the end", [.. "SSHSIG"u8, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff] },
            { "longer than the bound", new byte[SshSigFormat.MaxBlobLength + 1] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedBlobs))]
    public void MalformedBlobIsRefused(string description, byte[] blob)
    {
        var error = Record.Exception(() => SshSigParser.Parse(blob));
        Assert.True(error is SshFormatException, $"{description}: {error?.GetType().Name ?? "accepted"}");
    }

    [Theory]
    [InlineData("no armor", "AAAA")]
    [InlineData("no end line", "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n")]
    [InlineData("bad base64", "-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----\n")]
    [InlineData("text after the end", "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\nmore\n")]
    public void MalformedArmorIsRefused(string description, string text)
    {
        var error = Record.Exception(() => SshSigParser.ParseArmored(text));
        Assert.True(error is SshFormatException, $"{description}: {error?.GetType().Name ?? "accepted"}");
    }

    [Fact]
    public void OversizedArmorIsRefusedBeforeDecoding()
    {
        var text = SshSigFormat.BeginArmor + "\n" + new string('A', SshSigFormat.MaxArmoredLength) + "\n" + SshSigFormat.EndArmor + "\n";
        Assert.Throws<SshFormatException>(() => SshSigParser.ParseArmored(text));
    }

    [Fact]
    public void AnRsaSha1SignatureIsNotAccepted()
    {
        using var key = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 2048);
        var good = SshSigSigner.Sign(key, Message, Namespace);
        var sha1 = good with { Signature = good.Signature with { Algorithm = SshKeyTypes.Rsa } };
        Assert.False(SshSigVerifier.Verify(sha1, Message, Namespace, key.PublicKey));
    }
}
