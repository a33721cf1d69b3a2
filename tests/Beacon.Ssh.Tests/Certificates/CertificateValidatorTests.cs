using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Testing;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>The validator decides as sshd does, by an injected clock: type, CA, window edges, principal.</summary>
public sealed class CertificateValidatorTests : IDisposable
{
    private const ulong ValidAfter = 1_800_000_000;
    private const ulong ValidBefore = 1_800_000_600;

    private readonly SshPrivateKey _ca = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
    private readonly SshPrivateKey _otherCa = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);
    private readonly SshPrivateKey _subject = SshPrivateKey.Generate(SshKeyAlgorithm.Ed25519);

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _subject.Dispose();
    }

    private SshCertificate Certificate(SshCertificateType type = SshCertificateType.User, SshPrivateKey? ca = null) => new SshCertificateBuilder
    {
        PublicKey = _subject.PublicKey,
        Type = type,
        KeyId = "alice",
        Principals = ["alice", "deploy"],
        ValidAfter = ValidAfter,
        ValidBefore = ValidBefore,
    }.Sign(ca ?? _ca);

    private string? CheckAt(ulong now, SshCertificate certificate, SshCertificateType expected = SshCertificateType.User, string? principal = "alice") =>
        new SshCertificateValidator(FakeTimeProvider.AtUnixSeconds((long)now)).Check(certificate, [_ca.PublicKey], expected, principal);

    [Theory]
    [InlineData("one second before valid-after", ValidAfter - 1, false)]
    [InlineData("at valid-after (inclusive)", ValidAfter, true)]
    [InlineData("inside the window", ValidAfter + 300, true)]
    [InlineData("one second before valid-before", ValidBefore - 1, true)]
    [InlineData("at valid-before (exclusive)", ValidBefore, false)]
    [InlineData("long after", ValidBefore + 86_400, false)]
    public void WindowEdgesAreTheOnesSshdUses(string description, ulong now, bool accepted)
    {
        var reason = CheckAt(now, Certificate());

        Assert.True(accepted == (reason is null), $"{description}: {reason ?? "accepted"}");
    }

    [Fact]
    public void RefusalsSayWhy()
    {
        Assert.Contains("not valid before", CheckAt(ValidAfter - 1, Certificate()));
        Assert.Contains("expired", CheckAt(ValidBefore, Certificate()));
    }

    [Fact]
    public void ListedPrincipalsAreAcceptedAndOthersRefused()
    {
        var certificate = Certificate();

        Assert.Null(CheckAt(ValidAfter, certificate, principal: "alice"));
        Assert.Null(CheckAt(ValidAfter, certificate, principal: "deploy"));
        Assert.Contains("principal", CheckAt(ValidAfter, certificate, principal: "root"));
        // Case matters, as in sshd.
        Assert.NotNull(CheckAt(ValidAfter, certificate, principal: "Alice"));
    }

    [Fact]
    public void WrongCertificateTypeIsRefused()
    {
        Assert.NotNull(CheckAt(ValidAfter, Certificate(SshCertificateType.Host), SshCertificateType.User));
        Assert.NotNull(CheckAt(ValidAfter, Certificate(SshCertificateType.User), SshCertificateType.Host, principal: null));
        Assert.Null(CheckAt(ValidAfter, Certificate(SshCertificateType.Host), SshCertificateType.Host, principal: "deploy"));
    }

    [Fact]
    public void UntrustedCaIsRefused()
    {
        Assert.Contains("not a trusted CA", CheckAt(ValidAfter, Certificate(ca: _otherCa)));
    }

    [Fact]
    public void ForgedSignatureIsRefused()
    {
        var blob = Certificate().Blob.ToArray();
        blob[^1] ^= 1; // the last byte of the Ed25519 signature
        var forged = SshCertificateParser.ParseBlob(blob);

        Assert.Contains("signature", CheckAt(ValidAfter, forged));
    }

    [Fact]
    public void ValidateThrowsWithTheReason()
    {
        var validator = new SshCertificateValidator(FakeTimeProvider.AtUnixSeconds((long)ValidBefore));

        var error = Assert.Throws<SshCertificateRefusedException>(() => validator.Validate(Certificate(), [_ca.PublicKey], SshCertificateType.User, "alice"));
        Assert.Contains("expired", error.Message);
    }

    [Fact]
    public void MovingTheClockChangesTheDecision()
    {
        var clock = FakeTimeProvider.AtUnixSeconds((long)ValidAfter);
        var validator = new SshCertificateValidator(clock);
        var certificate = Certificate();

        Assert.Null(validator.Check(certificate, [_ca.PublicKey], SshCertificateType.User, "alice"));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(validator.Check(certificate, [_ca.PublicKey], SshCertificateType.User, "alice"));
    }
}
