using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>The rules the spec sets that the parser enforces, each broken on its own in an otherwise valid, signed certificate.</summary>
public sealed class CertificateParserRulesTests : IDisposable
{
    private readonly SshPrivateKey _ca = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
    private readonly SshPrivateKey _subject = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);

    public void Dispose()
    {
        _ca.Dispose();
        _subject.Dispose();
    }

    private RawCertificate Raw() => new(_subject.PublicKey, _ca.PublicKey);

    private static byte[] Flag => [];

    private static byte[] Value(string value) => new SshWriter().WriteString(value).ToArray();

    [Fact]
    public void RawCertificateWithNoRuleBrokenIsAccepted()
    {
        var raw = Raw();
        raw.CriticalOptions = [("force-command", Value("/bin/true")), ("source-address", Value("10.0.0.0/8"))];
        raw.Extensions = [("permit-agent-forwarding", Flag), ("permit-pty", Flag)];

        var certificate = SshCertificateParser.ParseBlob(raw.Sign(_ca));

        Assert.True(certificate.VerifySignature());
        Assert.Equal(2, certificate.CriticalOptions.Count);
    }

    public static TheoryData<string, Action<RawCertificate>> BrokenRules => new()
    {
        { "critical options out of order", r => r.CriticalOptions = [("source-address", Value("10.0.0.0/8")), ("force-command", Value("/bin/true"))] },
        { "critical option repeated", r => r.CriticalOptions = [("force-command", Value("/bin/true")), ("force-command", Value("/bin/false"))] },
        { "extensions out of order", r => r.Extensions = [("permit-pty", Flag), ("permit-agent-forwarding", Flag)] },
        { "extension repeated", r => r.Extensions = [("permit-pty", Flag), ("permit-pty", Flag)] },
        { "upper case sorts before lower case (strcmp)", r => r.Extensions = [("permit-pty", Flag), ("permit-X11-forwarding", Flag)] },
        { "certificate type number 0", r => r.Type = 0 },
        { "certificate type number 3", r => r.Type = 3 },
        { "certificate type number 0xffffffff", r => r.Type = uint.MaxValue },
        { "unknown certificate type name", r => r.CertificateType = "ssh-foo-cert-v01@openssh.com" },
        { "DSA certificate", r => r.CertificateType = "ssh-dss-cert-v01@openssh.com" },
        { "plain key type where a certificate type belongs", r => r.CertificateType = SshKeyTypes.Ed25519 },
        { "certificate type names another key type", r => r.CertificateType = SshKeyTypes.CertificateTypeFor(SshKeyTypes.EcdsaP256) },
        { "signature key is garbage", r => r.SignatureKey = [0, 0, 0, 3, (byte)'f', (byte)'o', (byte)'o'] },
        { "signature key has trailing bytes", r => r.SignatureKey = [.. r.SignatureKey, 0] },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void BrokenRuleIsRefused(string description, Action<RawCertificate> breakRule)
    {
        var raw = Raw();
        breakRule(raw);
        var blob = raw.Sign(_ca);

        var error = Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseBlob(blob));
        Assert.False(string.IsNullOrEmpty(error.Message), description);
    }

    [Fact]
    public void CertificateSignedByACertificateIsRefused()
    {
        var caCertificate = new SshCertificateBuilder
        {
            PublicKey = _ca.PublicKey,
            Type = SshCertificateType.User,
            KeyId = "intermediate",
            Principals = ["ca"],
            ValidAfter = 0,
            ValidBefore = SshCertificate.Forever,
        }.Sign(_ca);
        var raw = Raw();
        raw.SignatureKey = caCertificate.Blob.ToArray();

        var error = Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseBlob(raw.Sign(_ca)));
        Assert.Contains("a certificate signed by a certificate", error.Message);
    }

    [Fact]
    public void TrailingBytesAfterTheSignatureAreRefused()
    {
        var blob = Raw().Sign(_ca);

        Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseBlob([.. blob, 0]));
        Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseBlob([.. blob, 0, 0, 0, 0]));
    }

    [Fact]
    public void TrailingBytesInsideTheSignatureAreRefused()
    {
        var raw = Raw();
        var toSign = raw.BytesToSign();
        var signature = new SshWriter().WriteRaw(_ca.Sign(toSign).ToWire()).WriteByte(0);
        var blob = new SshWriter().WriteRaw(toSign).WriteString(signature).ToArray();

        Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseBlob(blob));
    }

    [Fact]
    public void TextLineWhoseTypeDiffersFromTheBlobIsRefused()
    {
        var blob = Raw().Sign(_ca);
        var line = $"{SshKeyTypes.CertificateTypeFor(SshKeyTypes.Rsa)} {Convert.ToBase64String(blob)}";

        Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseLine(line));
    }

    [Fact]
    public void PlainKeyLineIsNotACertificate()
    {
        Assert.Throws<SshFormatException>(() => SshCertificateParser.ParseLine(_subject.PublicKey.ToOpenSshString()));
    }

    [Fact]
    public void CertificateIsNotAPlainKey()
    {
        var blob = Raw().Sign(_ca);

        Assert.Throws<SshFormatException>(() => SshPublicKeyParser.ParseBlob(blob));
    }
}
