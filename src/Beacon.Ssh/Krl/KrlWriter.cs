using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Krl;

/// <summary>
/// Encodes a <see cref="KeyRevocationList"/> in the binary form of PROTOCOL.krl, sections in the order
/// ssh-keygen writes them: certificates per CA, explicit keys, SHA1 hashes, SHA256 hashes. No signature
/// section: OpenSSH 9.4 and later refuse KRLs that carry one.
/// </summary>
internal static class KrlWriter
{
    public static byte[] Encode(KeyRevocationList krl)
    {
        var writer = new SshWriter(1024);
        writer.WriteUInt64(KrlFormat.Magic)
            .WriteUInt32(KrlFormat.FormatVersion)
            .WriteUInt64(krl.Version)
            .WriteUInt64(krl.GeneratedDate)
            .WriteUInt64(krl.Flags)
            .WriteString(ReadOnlySpan<byte>.Empty) // reserved
            .WriteString(krl.Comment);

        foreach (var section in krl.CertificateSections)
        {
            writer.WriteByte(KrlFormat.SectionCertificates).WriteString(EncodeCertificateSection(section));
        }
        WriteBlobSection(writer, KrlFormat.SectionExplicitKey, krl.ExplicitKeyBlobs);
        WriteBlobSection(writer, KrlFormat.SectionFingerprintSha1, krl.Sha1Hashes);
        WriteBlobSection(writer, KrlFormat.SectionFingerprintSha256, krl.Sha256Hashes);
        return writer.ToArray();
    }

    private static SshWriter EncodeCertificateSection(KrlCertificateSection section)
    {
        var writer = new SshWriter();
        // An empty CA key is the spec's "any CA" form.
        writer.WriteString(section.CaKey is null ? ReadOnlySpan<byte>.Empty : section.CaKey.Blob)
            .WriteString(ReadOnlySpan<byte>.Empty); // reserved
        KrlSerialEncoder.Write(section.Serials, writer);
        if (section.KeyIds.Count > 0)
        {
            var ids = new SshWriter();
            foreach (var id in section.KeyIds)
            {
                ids.WriteString(id);
            }
            writer.WriteByte(KrlFormat.CertKeyId).WriteString(ids);
        }
        return writer;
    }

    private static void WriteBlobSection(SshWriter writer, byte type, byte[][] blobs)
    {
        if (blobs.Length == 0)
        {
            return;
        }
        var body = new SshWriter();
        foreach (var blob in blobs)
        {
            body.WriteString(blob);
        }
        writer.WriteByte(type).WriteString(body);
    }
}
