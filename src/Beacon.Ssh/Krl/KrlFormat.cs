namespace Beacon.Ssh.Krl;

/// <summary>The numbers of the KRL format (PROTOCOL.krl), next to the limits we add to them.</summary>
internal static class KrlFormat
{
    /// <summary>"SSHKRL\n\0" as a big-endian uint64 (PROTOCOL.krl section 1).</summary>
    public const ulong Magic = 0x5353484b524c0a00UL;

    /// <summary>The only format version there is (KRL_FORMAT_VERSION).</summary>
    public const uint FormatVersion = 1;

    // Top-level section types (PROTOCOL.krl section 1).
    public const byte SectionCertificates = 1;
    public const byte SectionExplicitKey = 2;
    public const byte SectionFingerprintSha1 = 3;
    public const byte SectionSignature = 4;
    public const byte SectionFingerprintSha256 = 5;
    public const byte SectionExtension = 255;

    // Certificate subsection types (PROTOCOL.krl section 2).
    public const byte CertSerialList = 0x20;
    public const byte CertSerialRange = 0x21;
    public const byte CertSerialBitmap = 0x22;
    public const byte CertKeyId = 0x23;
    public const byte CertExtension = 0x39;

    public const int Sha1Length = 20;
    public const int Sha256Length = 32;

    /// <summary>
    /// OpenSSH reads a bitmap as an mpint of at most 2048 magnitude bytes (SSHBUF_MAX_BIGNUM) and refuses
    /// the whole KRL otherwise, so a bitmap section covers at most 16384 serials from its offset.
    /// </summary>
    public const int MaxBitmapBytes = 2048;

    /// <summary>The largest distance from a bitmap's offset to its highest set bit.</summary>
    public const ulong MaxBitmapSpan = MaxBitmapBytes * 8 - 1;
}
