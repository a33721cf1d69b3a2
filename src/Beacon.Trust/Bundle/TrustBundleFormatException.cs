namespace Beacon.Trust.Bundle;

/// <summary>A bundle document that is not well formed; the message names the field.</summary>
public sealed class TrustBundleFormatException(string message) : Exception(message);
