using System.Runtime.InteropServices;

namespace Beacon.Ssh.Wire;

internal static class MemoryMarshalHelpers
{
    /// <summary>A writable view of a buffer we own, used only to wipe secrets after serialising them.</summary>
    public static Span<byte> AsWritable(ReadOnlySpan<byte> span) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(span), span.Length);
}
