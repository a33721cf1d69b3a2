using Beacon.CommandLine;

namespace Beacon.Cli;

/// <summary>
/// A failure the user can act on: it is printed as one line, "beacon: message", with no stack trace,
/// and the command exits with <see cref="ExitCodes.Failure"/>.
/// </summary>
public sealed class CliException(string message) : Beacon.CommandLine.UserFacingException(message);
