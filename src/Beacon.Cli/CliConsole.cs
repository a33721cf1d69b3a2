namespace Beacon.Cli;

/// <summary>The streams a command talks to; the process's own, or strings in a test.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);
