using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>The builder writes what the spec requires whatever the caller's order, and refuses caller mistakes.</summary>
public sealed class CertificateBuilderTests : IDisposable
{
    private readonly SshPrivateKey _ca = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
    private readonly SshPrivateKey _subject = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);

    public void Dispose()
    {
        _ca.Dispose();
        _subject.Dispose();
    }

    private SshCertificateBuilder Builder(IReadOnlyList<SshCertificateOption>? critical = null, IReadOnlyList<SshCertificateOption>? extensions = null) => new()
    {
        PublicKey = _subject.PublicKey,
        Type = SshCertificateType.User,
        KeyId = "alice@example",
        Principals = ["alice"],
        ValidAfter = 1_700_000_000,
        ValidBefore = 1_700_000_900,
        CriticalOptions = critical ?? [],
        Extensions = extensions ?? [],
    };

    [Fact]
    public void OptionsAreSortedLexicallyWhateverTheInputOrder()
    {
        var certificate = Builder(
            critical: [SshCertificateOption.WithValue("source-address", "10.0.0.0/8"), SshCertificateOption.WithValue("force-command", "/bin/true")],
            extensions: [SshCertificateOption.Flag("permit-pty"), SshCertificateOption.Flag("permit-X11-forwarding"), SshCertificateOption.Flag("permit-agent-forwarding"), SshCertificateOption.Flag("b@example"), SshCertificateOption.Flag("a@example")])
            .Sign(_ca);

        Assert.Equal(["force-command", "source-address"], certificate.CriticalOptions.Select(o => o.Name));
        // Byte order, as OpenSSH's strcmp: upper-case X sorts before lower-case letters.
        Assert.Equal(["a@example", "b@example", "permit-X11-forwarding", "permit-agent-forwarding", "permit-pty"], certificate.Extensions.Select(o => o.Name));
        Assert.Equal("/bin/true", certificate.FindCriticalOption("force-command")?.Value);
    }

    [Fact]
    public void RepeatedCriticalOptionIsACallerMistake()
    {
        var builder = Builder(critical: [SshCertificateOption.WithValue("force-command", "/bin/true"), SshCertificateOption.WithValue("force-command", "/bin/false")]);

        Assert.Throws<ArgumentException>(() => builder.Sign(_ca));
    }

    [Fact]
    public void RepeatedExtensionIsACallerMistake()
    {
        var builder = Builder(extensions: [SshCertificateOption.Flag("permit-pty"), SshCertificateOption.Flag("permit-agent-forwarding"), SshCertificateOption.Flag("permit-pty")]);

        Assert.Throws<ArgumentException>(() => builder.Sign(_ca));
    }

    [Fact]
    public void EmptyValidityWindowIsACallerMistake()
    {
        Assert.Throws<ArgumentException>(() => new SshCertificateBuilder
        {
            PublicKey = _subject.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "x",
            Principals = ["alice"],
            ValidAfter = 100,
            ValidBefore = 100,
        }.Sign(_ca));
    }

    [Fact]
    public void SignedCertificateCarriesEveryFieldAndVerifies()
    {
        var nonce = new byte[32];
        nonce[0] = 42;
        var certificate = new SshCertificateBuilder
        {
            PublicKey = _subject.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "web-1",
            Principals = ["web-1.example", "10.0.0.1"],
            ValidAfter = 1_700_000_000,
            ValidBefore = 1_702_592_000,
            Serial = 12345,
            Nonce = nonce,
        }.Sign(_ca);

        Assert.Equal(SshKeyTypes.CertificateTypeFor(SshKeyTypes.Ed25519), certificate.CertificateType);
        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.Equal("web-1", certificate.KeyId);
        Assert.Equal(["web-1.example", "10.0.0.1"], certificate.Principals);
        Assert.Equal(12345UL, certificate.Serial);
        Assert.Equal(nonce, certificate.Nonce.ToArray());
        Assert.Equal(_subject.PublicKey, certificate.PublicKey);
        Assert.Equal(_ca.PublicKey, certificate.SignatureKey);
        Assert.True(certificate.VerifySignature());
        Assert.Equal(certificate, SshCertificateParser.ParseLine(certificate.ToOpenSshString("comment")));
    }

    [Fact]
    public void DefaultSerialsAndNoncesAreFreshEachTime()
    {
        var a = Builder().Sign(_ca);
        var b = Builder().Sign(_ca);

        Assert.NotEqual(0UL, a.Serial);
        Assert.NotEqual(a.Serial, b.Serial);
        Assert.False(a.Nonce.Span.SequenceEqual(b.Nonce.Span));
        Assert.Equal(32, a.Nonce.Length);
    }

    [Fact]
    public void RsaCaSignsRsaSha512UnlessAskedForSha256()
    {
        using var rsa = SshPrivateKey.Generate(SshKeyAlgorithm.Rsa, 2048);

        Assert.Equal(SshKeyTypes.RsaSha512, Builder().Sign(rsa).Signature.Algorithm);
        Assert.Equal(SshKeyTypes.RsaSha256, Builder().Sign(rsa, SshKeyTypes.RsaSha256).Signature.Algorithm);
        Assert.Throws<ArgumentException>(() => Builder().Sign(rsa, SshKeyTypes.Rsa));
    }

    [Fact]
    public void BytesToSignAreTheSignedPrefixOfTheCertificate()
    {
        var nonce = new byte[32];
        var builder = Builder();
        var fixedBuilder = new SshCertificateBuilder
        {
            PublicKey = builder.PublicKey,
            Type = builder.Type,
            KeyId = builder.KeyId,
            Principals = builder.Principals,
            ValidAfter = builder.ValidAfter,
            ValidBefore = builder.ValidBefore,
            Serial = 1,
            Nonce = nonce,
        };

        var certificate = fixedBuilder.Sign(_ca);

        Assert.Equal(fixedBuilder.BytesToSign(_ca.PublicKey), certificate.SignedBytes.ToArray());
    }
}
