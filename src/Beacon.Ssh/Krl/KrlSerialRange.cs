namespace Beacon.Ssh.Krl;

/// <summary>An inclusive range of revoked certificate serials, <see cref="First"/> to <see cref="Last"/>.</summary>
public readonly record struct KrlSerialRange(ulong First, ulong Last)
{
    /// <summary>How many serials the range holds (at most 2^64 - 1, since serial 0 is never revoked).</summary>
    public ulong Count => Last - First + 1;

    public bool Contains(ulong serial) => serial >= First && serial <= Last;

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}
