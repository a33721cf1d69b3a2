namespace Beacon.Diag.Hosting;

/// <summary>The configuration cannot be used; the message names the key and the problem.</summary>
public sealed class DiagConfigurationException(string message) : Beacon.CommandLine.UserFacingException(message);
