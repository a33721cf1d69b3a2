namespace Beacon.Host;

/// <summary>The streams and clock a command uses, and whether standard output is a terminal (progress lines) or not (a timer: quiet).</summary>
public sealed record HostConsole(TextWriter Out, TextWriter Error, TimeProvider Clock, bool IsTerminal);
