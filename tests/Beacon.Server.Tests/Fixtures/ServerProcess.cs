using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Beacon.Testing;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>
/// The real beacon-server executable: `init` on a fresh data directory, then `run` over HTTPS on a free
/// loopback port. Clients pin the TLS fingerprint `init` printed, as the CLIs do. Several processes may
/// share one data directory (replicas: the same CA keys, the database named by the environment).
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly IDictionary<string, string?>? _environment;
    private readonly bool _ownsData;

    private ServerProcess(TempDirectory directory, bool ownsData, string url, string fingerprint, Process process, IDictionary<string, string?>? environment)
    {
        Data = directory;
        _ownsData = ownsData;
        Url = url;
        Fingerprint = fingerprint;
        _process = process;
        _environment = environment;
    }

    public TempDirectory Data { get; }

    /// <summary>The data directory inside <see cref="Data"/>.</summary>
    public string DataDir => Path.Combine(Data.Path, "data");

    public string Url { get; }

    /// <summary>SHA-256 of the server's TLS certificate, lowercase hex, as init printed it.</summary>
    public string Fingerprint { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Initialises a data directory (unless <paramref name="data"/> already holds one) and starts the server;
    /// extra environment variables override configuration. A directory passed in stays the caller's to dispose.
    /// </summary>
    public static ServerProcess Start(IDictionary<string, string?>? environment = null, TempDirectory? data = null)
    {
        var ownsData = data is null;
        data ??= new TempDirectory("beacon-server-process-");
        var dataDir = Path.Combine(data.Path, "data");
        if (!File.Exists(Path.Combine(dataDir, "beacon.json")))
        {
            var init = Run(["init", "--data-dir", dataDir], environment);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"beacon-server init failed: {init}");
            }
        }
        var fingerprint = File.ReadAllText(Path.Combine(dataDir, "tls", "server.crt")) is var pem
            ? Convert.ToHexStringLower(X509Certificate2.CreateFromPem(pem).GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256))
            : "";
        for (var attempt = 0; ; attempt++)
        {
            var url = $"https://127.0.0.1:{FreePort.Next()}";
            var process = StartProcess(["run", "--data-dir", dataDir, "--urls", url], environment);
            var server = new ServerProcess(data, ownsData, url, fingerprint, process, environment);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (server.WaitUntilReady())
            {
                return server;
            }
            server.Kill();
            if (attempt == 2)
            {
                throw new InvalidOperationException($"beacon-server did not become ready: {server.Output}");
            }
        }
    }

    /// <summary>An HttpClient that trusts exactly the pinned certificate, nothing else.</summary>
    public HttpClient CreateClient(string? bearer = null)
    {
        var pinned = Fingerprint;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Pinning: the server's own self-signed certificate, by SHA-256, and no CA at all.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null &&
                    Convert.ToHexStringLower(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)) == pinned,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    /// <summary>Runs another beacon-server command with this server's environment (so the same database).</summary>
    public ProcessResult Command(params string[] args) => Run(args, _environment);

    public static ProcessResult Run(string[] args, IDictionary<string, string?>? environment) =>
        OpenSsh.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "beacon-server.dll"), .. args], environment: environment, timeout: TimeSpan.FromSeconds(120));

    private static Process StartProcess(string[] args, IDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "beacon-server.dll"));
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }
        return Process.Start(info)!;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private bool WaitUntilReady()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if (client.GetAsync("/readyz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(100);
        }
        return false;
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
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        if (_ownsData)
        {
            Data.Dispose();
        }
    }
}
