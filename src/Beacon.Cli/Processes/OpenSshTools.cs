namespace Beacon.Cli.Processes;

/// <summary>Finds OpenSSH's programs on PATH.</summary>
internal static class OpenSshTools
{
    /// <exception cref="CliException">The program is not installed.</exception>
    public static string Require(string program, CliConsole console) =>
        ChildProcess.Find(program, console.Variable("PATH")) ?? throw new CliException($"{program} not found on PATH: install OpenSSH's client");
}
