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
        // The socket file appears at bind(), a moment before listen(): wait until a connection is accepted.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Accepts(socket) && DateTime.UtcNow < deadline && !process.HasExited)
        {
            Thread.Sleep(20);
        }
        if (!Accepts(socket))
        {
            process.Kill();
            throw new InvalidOperationException("ssh-agent did not create its socket");
        }
        return new SshAgentProcess(process, directory, socket);
    }

    private static bool Accepts(string socket)
    {
        if (!File.Exists(socket))
        {
            return false;
        }
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
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
