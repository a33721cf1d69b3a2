namespace Beacon.Trust.OpenPgp;

/// <summary>OpenPGP data (armor, packets, keys, signatures) that is malformed or unsupported; the message says what.</summary>
public sealed class OpenPgpFormatException(string message) : Exception(message);
