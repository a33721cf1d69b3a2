using Beacon.Ssh.Crypto;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An ssh-ed25519 public key: string key (32 bytes).</summary>
public sealed class Ed25519PublicKey : SshPublicKey
{
    private readonly byte[] _key;
    private SafeEvpPkeyHandle? _handle;

    public Ed25519PublicKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != OpenSslEd25519.PublicKeySize)
        {
            throw new SshFormatException($"ssh-ed25519 key: {key.Length} bytes, expected 32");
        }
        _key = key.ToArray();
    }

    public ReadOnlySpan<byte> Key => _key;

    public override string KeyType => SshKeyTypes.Ed25519;

    public override int SizeInBits => 256;

    internal override void WriteFields(SshWriter writer) => writer.WriteString(_key);

    internal static Ed25519PublicKey ReadFields(ref SshReader reader) =>
        new(reader.ReadStringSpan("ssh-ed25519 key"));

    public override bool Verify(ReadOnlySpan<byte> data, SshSignature signature)
    {
        if (signature.Algorithm != SshKeyTypes.Ed25519)
        {
            return false;
        }
        _handle ??= OpenSslEd25519.FromPublicKey(_key);
        return OpenSslEd25519.Verify(_handle, data, signature.Blob.Span);
    }
}
