namespace Beacon.Ssh.Krl;

/// <summary>Section and subsection numbers of PROTOCOL.krl.</summary>
internal static class KrlSections
{
    /// <summary>"SSHKRL\n\0" as a big-endian uint64.</summary>
    public const ulong Magic = 0x5353484b524c0a00;
    public const uint FormatVersion = 1;

    public const byte Certificates = 1;
    public const byte ExplicitKey = 2;
    public const byte FingerprintSha1 = 3;
    public const byte Signature = 4;
    public const byte FingerprintSha256 = 5;
    public const byte Extension = 255;

    public const byte CertSerialList = 0x20;
    public const byte CertSerialRange = 0x21;
    public const byte CertSerialBitmap = 0x22;
    public const byte CertKeyId = 0x23;
    public const byte CertExtension = 0x39;
}
