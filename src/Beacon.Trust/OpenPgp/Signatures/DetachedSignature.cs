using Beacon.Trust.OpenPgp.Encoding;
using Beacon.Trust.OpenPgp.Packets;

namespace Beacon.Trust.OpenPgp.Signatures;

/// <summary>A detached signature file ("-----BEGIN PGP SIGNATURE-----" or binary): exactly one signature packet.</summary>
internal static class DetachedSignature
{
    /// <exception cref="OpenPgpFormatException">Not a signature, malformed, or more than one signature.</exception>
    public static SignaturePacket Parse(ReadOnlySpan<byte> input)
    {
        var binary = OpenPgpArmor.DecodeOrBinary(input, OpenPgpArmor.Signature);
        SignaturePacket? signature = null;
        foreach (var packet in PacketReader.ReadAll(binary))
        {
            switch (packet.Tag)
            {
                case PacketTag.Signature when signature is null:
                    signature = SignaturePacket.Parse(packet.Body, "signature");
                    break;
                case PacketTag.Signature:
                    // One signer is the contract; a second signature is more likely a mistake than intent.
                    throw new OpenPgpFormatException("the signature data holds more than one signature; give exactly one");
                case PacketTag.Marker or PacketTag.Padding:
                    break;
                default:
                    throw new OpenPgpFormatException($"the signature data holds a packet of type {packet.Tag}, expected only a signature (2)");
            }
        }
        return signature ?? throw new OpenPgpFormatException("the signature data holds no signature packet");
    }
}
