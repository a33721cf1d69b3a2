using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Beacon.Bench.Issuance;

/// <summary>
/// The real beacon-server, built beside beacon-bench: `init` into a fresh data directory, then `run` over
/// HTTPS on a free 127.0.0.1 port. Configuration comes through environment variables, the ASP.NET way.
/// Clients pin the TLS certificate by its SHA-256 fingerprint, as the CLIs do. Dispose kills the process
/// and removes the directory.
/// </summary>
internal sealed class ServerUnderTest : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private bool _disposed;

    private ServerUnderTest(string root, string url, string fingerprint, Process process)
    {
        Root = root;
        Url = url;
        Fingerprint = fingerprint;
        _process = process;
    }

    /// <summary>The temporary directory holding the data directory.</summary>
    public string Root { get; }

    public string DataDir => Path.Combine(Root, "data");

    public string Url { get; }

    /// <summary>SHA-256 of the server's TLS certificate, lowercase hex.</summary>
    public string Fingerprint { get; }

    public int ProcessId => _process.Id;

    /// <summary>The last lines the server printed, for a failure message.</summary>
    public string LastOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    /// <exception cref="InvalidOperationException">init failed, or the server did not become ready.</exception>
    public static async Task<ServerUnderTest> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("beacon-bench-server-").FullName;
        try
        {
            var dataDir = Path.Combine(root, "data");
            var init = await ChildProcess.RunAsync("dotnet", [ServerDll, "init", "--data-dir", dataDir], environment, TimeSpan.FromMinutes(2), cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"beacon-server init failed ({init.ExitCode}): {init.Output}");
            }
            var pem = await File.ReadAllTextAsync(Path.Combine(dataDir, "tls", "server.crt"), cancellationToken);
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var fingerprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
            for (var attempt = 0; ; attempt++)
            {
                var url = $"https://127.0.0.1:{FreePort()}";
                var server = new ServerUnderTest(root, url, fingerprint, StartProcess(["run", "--data-dir", dataDir, "--urls", url], environment));
                if (await server.WaitUntilReadyAsync(cancellationToken))
                {
                    return server;
                }
                server.Kill();
                if (attempt == 2 || cancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"beacon-server did not become ready at {url}:\n{server.LastOutput}");
                }
            }
        }
        catch
        {
            DeleteDirectory(root);
            throw;
        }
    }

    /// <summary>
    /// A client that trusts exactly the pinned certificate and speaks HTTP/1.1 with keep-alive over at
    /// most <paramref name="connections"/> connections.
    /// </summary>
    public HttpClient CreateClient(int connections)
    {
        var pinned = Fingerprint;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                // Pinning: the server's own self-signed certificate, by SHA-256, and no CA at all.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null &&
                    Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)) == pinned,
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri(Url),
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Runs another beacon-server command against this data directory with the same environment.</summary>
    public static Task<ChildProcess.Result> CommandAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args) =>
        ChildProcess.RunAsync("dotnet", [ServerDll, .. args], environment, TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>Total CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime() => ProcessCpu.Of(_process.Id);

    private static string ServerDll => Path.Combine(AppContext.BaseDirectory, "beacon-server.dll");

    private static Process StartProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServerDll);
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // The server logs a line per certificate: drain both streams all the time so it never blocks on a full pipe.
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = CreateClient(1);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < ReadyTimeout && !_process.HasExited && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync("/readyz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(100, CancellationToken.None);
        }
        return false;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptOutputLines)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Kill();
        DeleteDirectory(Root);
    }
}
