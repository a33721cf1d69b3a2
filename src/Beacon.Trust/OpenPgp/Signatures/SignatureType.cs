namespace Beacon.Trust.OpenPgp.Signatures;

/// <summary>Signature types (RFC 9580 section 5.2.1) this code reads or makes.</summary>
internal static class SignatureType
{
    public const byte BinaryDocument = 0x00;
    public const byte TextDocument = 0x01;
    public const byte GenericCertification = 0x10;
    public const byte PositiveCertification = 0x13;
    public const byte SubkeyBinding = 0x18;
    public const byte PrimaryKeyBinding = 0x19;
    public const byte DirectKey = 0x1F;
    public const byte KeyRevocation = 0x20;
    public const byte SubkeyRevocation = 0x28;
    public const byte CertificationRevocation = 0x30;

    public static bool IsCertification(byte type) => type is >= GenericCertification and <= PositiveCertification;
}
