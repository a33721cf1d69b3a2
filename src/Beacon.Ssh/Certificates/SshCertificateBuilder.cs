using System.Security.Cryptography;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Certificates;

/// <summary>
/// Builds and signs a certificate. Options are sorted into the lexical order the spec requires; a
/// repeated name is a caller mistake. The result is parsed back, so what it returns is exactly what
/// a verifier will see.
/// </summary>
public sealed class SshCertificateBuilder
{
    public required SshPublicKey PublicKey { get; init; }

    public required SshCertificateType Type { get; init; }

    public required string KeyId { get; init; }

    public required IReadOnlyList<string> Principals { get; init; }

    /// <summary>Seconds since the Unix epoch.</summary>
    public required ulong ValidAfter { get; init; }

    /// <summary>Seconds since the Unix epoch, or <see cref="SshCertificate.Forever"/>.</summary>
    public required ulong ValidBefore { get; init; }

    /// <summary>Defaults to an unpredictable non-zero value.</summary>
    public ulong Serial { get; init; } = RandomSerial();

    public IReadOnlyList<SshCertificateOption> CriticalOptions { get; init; } = [];

    public IReadOnlyList<SshCertificateOption> Extensions { get; init; } = [];

    /// <summary>Defaults to 32 random bytes, which the spec asks for to defeat hash collisions.</summary>
    public ReadOnlyMemory<byte>? Nonce { get; init; }

    /// <summary>An unpredictable, non-zero 64-bit serial.</summary>
    public static ulong RandomSerial()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong serial;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            serial = BitConverter.ToUInt64(bytes);
        }
        while (serial == 0);
        return serial;
    }

    /// <summary>Writes the fields up to the signature, in wire order.</summary>
    /// <exception cref="ArgumentException">A repeated option name, a certificate as the CA key, or an empty window.</exception>
    public byte[] BytesToSign(SshPublicKey signatureKey)
    {
        if (ValidBefore <= ValidAfter)
        {
            throw new ArgumentException("valid-before must be after valid-after");
        }
        var writer = new SshWriter(512);
        writer.WriteString(SshKeyTypes.CertificateTypeFor(PublicKey.KeyType));
        if (Nonce is { } nonce)
        {
            writer.WriteString(nonce.Span);
        }
        else
        {
            Span<byte> random = stackalloc byte[32];
            RandomNumberGenerator.Fill(random);
            writer.WriteString(random);
        }
        PublicKey.WriteFields(writer);
        writer.WriteUInt64(Serial).WriteUInt32((uint)Type).WriteString(KeyId);

        var principals = new SshWriter();
        foreach (var principal in Principals)
        {
            principals.WriteString(principal);
        }
        writer.WriteString(principals)
            .WriteUInt64(ValidAfter)
            .WriteUInt64(ValidBefore)
            .WriteString(EncodeOptions(CriticalOptions, "critical option"))
            .WriteString(EncodeOptions(Extensions, "extension"))
            .WriteString(ReadOnlySpan<byte>.Empty) // reserved
            .WriteString(signatureKey.Blob);
        return writer.ToArray();
    }

    /// <summary>Signs with the CA key (RSA CAs sign rsa-sha2-512 unless told rsa-sha2-256).</summary>
    public SshCertificate Sign(SshPrivateKey ca, string? algorithm = null)
    {
        var toSign = BytesToSign(ca.PublicKey);
        var signature = algorithm is null ? ca.Sign(toSign) : ca.Sign(toSign, algorithm);
        var writer = new SshWriter(toSign.Length + signature.Blob.Length + 32);
        writer.WriteRaw(toSign).WriteString(signature.ToWire());
        // Parsed back so the result is exactly what a verifier sees; the two keys we wrote are reused, not re-imported.
        return SshCertificateParser.ParseBlob(writer.WrittenSpan, PublicKey, ca.PublicKey);
    }

    private static SshWriter EncodeOptions(IReadOnlyList<SshCertificateOption> options, string kind)
    {
        var sorted = options.OrderBy(o => o.Name, Comparer<string>.Create(SshCertificateOptions.CompareNames)).ToList();
        var writer = new SshWriter();
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0 && sorted[i - 1].Name == sorted[i].Name)
            {
                throw new ArgumentException($"{kind} \"{sorted[i].Name}\" is given twice");
            }
            writer.WriteString(sorted[i].Name).WriteString(sorted[i].Data.Span);
        }
        return writer;
    }
}
