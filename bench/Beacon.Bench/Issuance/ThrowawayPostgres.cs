using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Beacon.Bench.Issuance;

/// <summary>
/// A throwaway PostgreSQL cluster for the benchmark: initdb into a temporary directory, started on a free
/// 127.0.0.1 port, stopped and removed on dispose. Unlike the test suite's cluster it keeps PostgreSQL's
/// durable defaults (fsync on, synchronous_commit on, full_page_writes on), because a benchmark of a
/// durable audit must pay for durability. As root the cluster runs as the postgres user.
/// </summary>
internal sealed class ThrowawayPostgres : IDisposable
{
    private const string ServiceUser = "postgres";
    private const string Runuser = "/usr/sbin/runuser";

    private readonly string _root;
    private readonly string _bin;
    private bool _running;

    private ThrowawayPostgres(string root, string bin, int port)
    {
        _root = root;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres";

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The postmaster's process id (its backends are its children), or 0 when it is not known.</summary>
    public int PostmasterPid =>
        File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid)
            ? pid
            : 0;

    /// <summary>The server version line, for the report.</summary>
    public string Version { get; private set; } = "";

    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or does not start.</exception>
    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb); apt-get install postgresql");
        var root = Directory.CreateTempSubdirectory("beacon-bench-pg-").FullName;
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                Check(await ChildProcess.RunAsync("/bin/chown", [ServiceUser + ":", root], null, TimeSpan.FromSeconds(30), cancellationToken), "chown");
            }
            var data = Path.Combine(root, "data");
            Check(await RunAsServiceUserAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"], cancellationToken), "initdb");
            for (var attempt = 0; ; attempt++)
            {
                var server = new ThrowawayPostgres(root, bin, FreePort());
                // Durable defaults kept; only the connection limit is raised above the server's pool (Npgsql default 100) plus the probe.
                var options = $"-h 127.0.0.1 -p {server.Port} -k {data} -c max_connections=250";
                var start = await RunAsServiceUserAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start"], cancellationToken);
                if (start.ExitCode == 0)
                {
                    server._running = true;
                    var version = await RunAsServiceUserAsync(Path.Combine(bin, "postgres"), ["--version"], cancellationToken);
                    server.Version = version.Output.Trim();
                    return server;
                }
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"pg_ctl start failed: {start.Output}");
                }
            }
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    private static string? FindBinDirectory()
    {
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Bin, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
    }

    private static Task<ChildProcess.Result> RunAsServiceUserAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        Environment.IsPrivilegedProcess
            ? ChildProcess.RunAsync(Runuser, ["-u", ServiceUser, "--", program, .. args], null, TimeSpan.FromSeconds(90), cancellationToken)
            : ChildProcess.RunAsync(program, args, null, TimeSpan.FromSeconds(90), cancellationToken);

    private static void Check(ChildProcess.Result result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.Output}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void TryDelete(string path)
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
        if (_running)
        {
            _running = false;
            // Immediate stop: the cluster is thrown away, there is nothing to checkpoint for.
            RunAsServiceUserAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        TryDelete(_root);
    }
}
