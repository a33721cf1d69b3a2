namespace Beacon.Cli;

/// <summary>
/// The streams a command talks to and the environment it reads: the process's own, or strings and a
/// dictionary in a test (so tests in parallel never share HOME or SSH_AUTH_SOCK).
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In)
{
    /// <summary>Reads an environment variable; the process environment by default.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Whether a person is at a terminal (prompts are possible); false in tests and pipelines.</summary>
    public bool IsInteractive { get; init; }

    /// <summary>The clock (certificate lifetimes, renewal).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The variable, or null when it is unset or empty.</summary>
    public string? Variable(string name) => Environment(name) is { Length: > 0 } value ? value : null;
}
