using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Certificates;

/// <summary>
/// An OpenSSH certificate (draft-miller-ssh-cert, formerly PROTOCOL.certkeys), any *-cert-v01@openssh.com
/// type. Immutable. Parsing is in <see cref="SshCertificateParser"/>, building and signing in
/// <see cref="SshCertificateBuilder"/>, checking in <see cref="SshCertificateValidator"/>.
/// </summary>
public sealed class SshCertificate : IEquatable<SshCertificate>
{
    /// <summary>The "forever" value of valid-before.</summary>
    public const ulong Forever = ulong.MaxValue;

    private readonly byte[] _blob;
    private readonly int _signedLength;

    internal SshCertificate(
        byte[] blob,
        int signedLength,
        byte[] nonce,
        SshPublicKey publicKey,
        ulong serial,
        SshCertificateType type,
        string keyId,
        IReadOnlyList<string> principals,
        ulong validAfter,
        ulong validBefore,
        IReadOnlyList<SshCertificateOption> criticalOptions,
        IReadOnlyList<SshCertificateOption> extensions,
        byte[] reserved,
        SshPublicKey signatureKey,
        SshSignature signature)
    {
        _blob = blob;
        _signedLength = signedLength;
        Nonce = nonce;
        PublicKey = publicKey;
        Serial = serial;
        Type = type;
        KeyId = keyId;
        Principals = principals;
        ValidAfter = validAfter;
        ValidBefore = validBefore;
        CriticalOptions = criticalOptions;
        Extensions = extensions;
        Reserved = reserved;
        SignatureKey = signatureKey;
        Signature = signature;
    }

    /// <summary>The certificate type name, e.g. ssh-ed25519-cert-v01@openssh.com.</summary>
    public string CertificateType => SshKeyTypes.CertificateTypeFor(PublicKey.KeyType);

    public ReadOnlyMemory<byte> Nonce { get; }

    /// <summary>The certified key.</summary>
    public SshPublicKey PublicKey { get; }

    public ulong Serial { get; }

    public SshCertificateType Type { get; }

    public string KeyId { get; }

    /// <summary>Valid principals; empty means any principal, which this library never issues.</summary>
    public IReadOnlyList<string> Principals { get; }

    /// <summary>Seconds since the Unix epoch.</summary>
    public ulong ValidAfter { get; }

    /// <summary>Seconds since the Unix epoch, or <see cref="Forever"/>.</summary>
    public ulong ValidBefore { get; }

    /// <summary>In the order they appear, which the parser has checked is lexical.</summary>
    public IReadOnlyList<SshCertificateOption> CriticalOptions { get; }

    public IReadOnlyList<SshCertificateOption> Extensions { get; }

    public ReadOnlyMemory<byte> Reserved { get; }

    /// <summary>The CA key that signed the certificate.</summary>
    public SshPublicKey SignatureKey { get; }

    public SshSignature Signature { get; }

    /// <summary>The whole certificate's wire form, as in the base64 of a -cert.pub file.</summary>
    public ReadOnlySpan<byte> Blob => _blob;

    /// <summary>The bytes the CA signed: every field up to the signature.</summary>
    public ReadOnlySpan<byte> SignedBytes => _blob.AsSpan(0, _signedLength);

    /// <summary>The fingerprint OpenSSH prints for a certificate (ssh-keygen -l, ssh-add -l, sshd's log): the certified key's.</summary>
    public string Fingerprint => PublicKey.Fingerprint;

    public DateTimeOffset ValidAfterTime => DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(ValidAfter, (ulong)MaxUnixSeconds));

    /// <summary>Valid-before as a time; <see cref="DateTimeOffset.MaxValue"/> for forever.</summary>
    public DateTimeOffset ValidBeforeTime => ValidBefore >= (ulong)MaxUnixSeconds
        ? DateTimeOffset.MaxValue
        : DateTimeOffset.FromUnixTimeSeconds((long)ValidBefore);

    /// <summary>Whether the CA signature verifies over <see cref="SignedBytes"/>.</summary>
    public bool VerifySignature() => SignatureKey.Verify(SignedBytes, Signature);

    public SshCertificateOption? FindCriticalOption(string name) => CriticalOptions.FirstOrDefault(o => o.Name == name);

    public bool HasExtension(string name) => Extensions.Any(o => o.Name == name);

    /// <summary>The one-line form of a -cert.pub file.</summary>
    public string ToOpenSshString(string? comment = null) =>
        string.IsNullOrEmpty(comment)
            ? $"{CertificateType} {Convert.ToBase64String(_blob)}"
            : $"{CertificateType} {Convert.ToBase64String(_blob)} {comment}";

    public override string ToString() => ToOpenSshString();

    public bool Equals(SshCertificate? other) => other is not null && _blob.AsSpan().SequenceEqual(other._blob);

    public override bool Equals(object? obj) => obj is SshCertificate other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Serial, KeyId);

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
}
