using System.Diagnostics;

namespace Beacon.Testing;

/// <summary>A real ssh-agent in the foreground (-D) on a socket of its own; killed on dispose.</summary>
public sealed class SshAgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private SshAgentProcess(Process process, TempDirectory directory, string socketPath)
    {
        _process = process;
        _directory = directory;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public static SshAgentProcess Start()
    {
        if (OpenSsh.MissingTools() is { } missing)
        {
            throw new InvalidOperationException($"OpenSSH is not installed ({missing}); run scripts/test, which installs it");
        }
        var directory = new TempDirectory("beacon-agent-");
        var socket = directory.File("agent.sock");
        var info = new ProcessStartInfo(OpenSsh.SshAgent) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-D", "-a", socket })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(socket) && DateTime.UtcNow < deadline && !process.HasExited)
        {
            Thread.Sleep(20);
        }
        if (!File.Exists(socket))
        {
            process.Kill();
            throw new InvalidOperationException("ssh-agent did not create its socket");
        }
        return new SshAgentProcess(process, directory, socket);
    }

    /// <summary>Runs ssh-add against this agent (e.g. -l, -L, -D).</summary>
    public ProcessResult SshAdd(params string[] arguments) =>
        OpenSsh.Run(OpenSsh.SshAdd, arguments, environment: new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = SocketPath });

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _directory.Dispose();
    }
}
