using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Keys;

/// <summary>An SSH signature: its algorithm name and the algorithm-specific blob (RFC 4253 section 6.6).</summary>
public sealed record SshSignature(string Algorithm, ReadOnlyMemory<byte> Blob)
{
    /// <summary>Sanity bound, not in the spec: the largest signature blob we accept (RSA 16384 bits).</summary>
    public const int MaxBlobLength = 2048;

    public byte[] ToWire()
    {
        var writer = new SshWriter(Blob.Length + Algorithm.Length + 8);
        writer.WriteString(Algorithm).WriteString(Blob.Span);
        return writer.ToArray();
    }

    /// <exception cref="SshFormatException">The encoding is malformed or carries trailing bytes.</exception>
    public static SshSignature Parse(ReadOnlySpan<byte> wire)
    {
        var reader = new SshReader(wire);
        var algorithm = reader.ReadUtf8("signature algorithm");
        var blob = reader.ReadStringSpan("signature blob");
        if (blob.Length > MaxBlobLength)
        {
            throw new SshFormatException($"signature blob: {blob.Length} bytes is more than {MaxBlobLength}");
        }
        reader.EnsureEnd("signature");
        return new SshSignature(algorithm, blob.ToArray());
    }

    public bool Equals(SshSignature? other) =>
        other is not null && Algorithm == other.Algorithm && Blob.Span.SequenceEqual(other.Blob.Span);

    public override int GetHashCode() => HashCode.Combine(Algorithm, Blob.Length);
}
