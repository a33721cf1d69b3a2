using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Beacon.Testing;

/// <summary>
/// A throwaway redis-server in the foreground as a child process on a free 127.0.0.1 port, with no
/// persistence; killed on dispose (or earlier by <see cref="Stop"/>, to play an outage).
/// </summary>
public sealed class RedisServer : IDisposable
{
    /// <summary>Where Debian's redis-server package puts the server.</summary>
    public const string Binary = "/usr/bin/redis-server";

    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port, TempDirectory directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The missing program, or null when Redis is installed.</summary>
    public static string? MissingBinaries() => File.Exists(Binary) ? null : Binary;

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <exception cref="InvalidOperationException">Redis is not installed or would not start.</exception>
    public static RedisServer Start()
    {
        if (MissingBinaries() is { } missing)
        {
            throw new InvalidOperationException($"Redis is not installed (missing {missing}); install the Debian package redis-server");
        }
        for (var attempt = 0; ; attempt++)
        {
            var server = new RedisServer(FreePort.Next(), new TempDirectory("beacon-redis-"));
            try
            {
                server.StartProcess();
                return server;
            }
            catch (InvalidOperationException)
            {
                // Most likely the port was taken meanwhile; try another, a few times.
                server.Dispose();
                if (attempt == 3)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Kills the server, as a crash or an outage would.</summary>
    public void Stop()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
            process.Dispose();
            _process = null;
        }
    }

    private void StartProcess()
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        foreach (var argument in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory.Path, "--loglevel", "warning",
        })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Binary}");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                Stop();
                string output;
                lock (_output)
                {
                    output = _output.ToString();
                }
                throw new InvalidOperationException($"redis-server did not start on port {Port}: {output}");
            }
            Thread.Sleep(20);
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Stop();
        _directory.Dispose();
    }
}
