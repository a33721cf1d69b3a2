namespace Beacon.Trust.OpenPgp.Packets;

/// <summary>One packet: its tag and its body (the header removed).</summary>
internal readonly record struct Packet(int Tag, ReadOnlyMemory<byte> Body);
