namespace Beacon.Server.Cli;

/// <summary>The streams and clock a command uses; the process's own, or test doubles.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TimeProvider Clock);
