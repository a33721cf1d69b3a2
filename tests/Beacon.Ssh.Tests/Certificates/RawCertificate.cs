using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Tests.Certificates;

/// <summary>
/// Writes a certificate field by field with no rules applied, so a test can break exactly one rule
/// (options out of order, an unknown type number, a certificate as the CA key) and sign the result.
/// </summary>
public sealed class RawCertificate
{
    public RawCertificate(SshPublicKey subject, SshPublicKey ca)
    {
        CertificateType = SshKeyTypes.CertificateTypeFor(subject.KeyType);
        var fields = new SshWriter();
        subject.WriteFields(fields);
        KeyFields = fields.ToArray();
        SignatureKey = ca.Blob.ToArray();
    }

    public string CertificateType { get; set; }

    public byte[] Nonce { get; set; } = new byte[32];

    /// <summary>The certified key's fields, written raw after the nonce.</summary>
    public byte[] KeyFields { get; set; }

    public ulong Serial { get; set; } = 7;

    public uint Type { get; set; } = 1;

    public string KeyId { get; set; } = "raw";

    public List<string> Principals { get; set; } = ["alice"];

    public ulong ValidAfter { get; set; }

    public ulong ValidBefore { get; set; } = ulong.MaxValue;

    /// <summary>Written in this order, as given.</summary>
    public List<(string Name, byte[] Data)> CriticalOptions { get; set; } = [];

    public List<(string Name, byte[] Data)> Extensions { get; set; } = [];

    public byte[] Reserved { get; set; } = [];

    /// <summary>The CA key blob as written; a test may put a certificate here.</summary>
    public byte[] SignatureKey { get; set; }

    public byte[] BytesToSign()
    {
        var writer = new SshWriter();
        writer.WriteString(CertificateType).WriteString(Nonce).WriteRaw(KeyFields)
            .WriteUInt64(Serial).WriteUInt32(Type).WriteString(KeyId);
        var principals = new SshWriter();
        foreach (var principal in Principals)
        {
            principals.WriteString(principal);
        }
        writer.WriteString(principals).WriteUInt64(ValidAfter).WriteUInt64(ValidBefore)
            .WriteString(Options(CriticalOptions)).WriteString(Options(Extensions))
            .WriteString(Reserved).WriteString(SignatureKey);
        return writer.ToArray();
    }

    /// <summary>The whole certificate blob, signed by <paramref name="ca"/>.</summary>
    public byte[] Sign(SshPrivateKey ca)
    {
        var toSign = BytesToSign();
        var writer = new SshWriter();
        writer.WriteRaw(toSign).WriteString(ca.Sign(toSign).ToWire());
        return writer.ToArray();
    }

    private static SshWriter Options(List<(string Name, byte[] Data)> options)
    {
        var writer = new SshWriter();
        foreach (var (name, data) in options)
        {
            writer.WriteString(name).WriteString(data);
        }
        return writer;
    }
}
