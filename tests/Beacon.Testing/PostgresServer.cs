using System.Globalization;
using Npgsql;

namespace Beacon.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temporary directory, pg_ctl start on a free
/// 127.0.0.1 port with its socket inside the data directory, a fresh database per test class on
/// request, and an immediate stop plus removal on dispose. Trust authentication, no fsync: for tests only.
/// When the tests run as root the cluster runs as the postgres user (PostgreSQL refuses root).
/// </summary>
public sealed partial class PostgresServer : IDisposable
{
    /// <summary>
    /// The server programs: $BEACON_POSTGRES_BIN when set, else the newest /usr/lib/postgresql/N/bin
    /// (Debian's layout; postgresql-15 on Debian 12), else the Debian 12 path.
    /// </summary>
    public static string BinDirectory { get; } = FindBinDirectory();

    private const string ServiceUser = "postgres";
    private const string Runuser = "/usr/sbin/runuser";

    private static int _databaseCounter;

    private readonly string _root;
    private bool _disposed;

    private PostgresServer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    /// <summary>The port the server listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>Whether the server is running (false after <see cref="Stop"/>).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>A connection string for the postgres maintenance database, unpooled so it survives a restart.</summary>
    public string AdminConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("BEACON_POSTGRES_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        const string debian = "/usr/lib/postgresql";
        var installed = Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Bin, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
        return installed ?? "/usr/lib/postgresql/15/bin";
    }

    /// <summary>The missing programs, comma-separated, or null when PostgreSQL is installed.</summary>
    public static string? MissingBinaries()
    {
        var missing = new[] { "initdb", "pg_ctl", "postgres" }.Select(p => Path.Combine(BinDirectory, p)).Where(p => !File.Exists(p)).ToList();
        if (IsRoot && !File.Exists(Runuser))
        {
            missing.Add(Runuser);
        }
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    /// <summary>Creates and starts a cluster (about a second).</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or would not start; the message carries its log.</exception>
    public static PostgresServer Start()
    {
        if (MissingBinaries() is { } missing)
        {
            throw new InvalidOperationException($"PostgreSQL is not installed (missing {missing}); install the Debian package postgresql");
        }
        var root = Path.Combine(Path.GetTempPath(), "beacon-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        if (IsRoot)
        {
            Check(OpenSsh.Run("/bin/chown", [ServiceUser + ":", root]), "chown");
        }
        var initdb = RunAsServiceUser(Path.Combine(BinDirectory, "initdb"),
            ["-D", Path.Combine(root, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        if (initdb.ExitCode != 0)
        {
            Directory.Delete(root, recursive: true);
            throw new InvalidOperationException($"initdb failed: {initdb}");
        }
        // A port picked now may be taken before the server binds it; try a few.
        for (var attempt = 0; ; attempt++)
        {
            var server = new PostgresServer(root, FreePort.Next());
            try
            {
                server.StartProcess();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>A connection string for a database of this server.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    /// <param name="name">A name of lowercase letters, digits and underscores; a fresh one when null.</param>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test_" + Interlocked.Increment(ref _databaseCounter).ToString(CultureInfo.InvariantCulture);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"\"{name}\" is not a plain database name", nameof(name));
        }
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server at once (no checkpoint), as a crash or an outage would.</summary>
    public void Stop()
    {
        if (!IsRunning)
        {
            return;
        }
        var result = RunAsServiceUser(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        IsRunning = false;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {result}");
        }
    }

    /// <summary>Starts a stopped server again on the same port, with its data.</summary>
    public void Restart()
    {
        if (!IsRunning)
        {
            StartProcess();
        }
    }

    private void StartProcess()
    {
        // Settings for a disposable test cluster: nothing is fsynced, enough connections for two
        // servers' pools under load, and the socket kept inside the data directory. Commits stay
        // synchronous (written to the OS before they return), so an immediate stop loses none of them.
        var options = string.Join(' ',
            "-h 127.0.0.1", $"-p {Port}", $"-k {DataDirectory}",
            "-c fsync=off", "-c full_page_writes=off",
            "-c max_connections=300", "-c shared_buffers=32MB");
        var result = RunAsServiceUser(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "30", "-o", options, "start"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl start failed on port {Port}: {result}\nlog: {ReadLog()}");
        }
        IsRunning = true;
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogFile);
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static ProcessResult RunAsServiceUser(string program, IReadOnlyList<string> arguments) =>
        IsRoot ? OpenSsh.Run(Runuser, ["-u", ServiceUser, "--", program, .. arguments], timeout: TimeSpan.FromSeconds(60))
               : OpenSsh.Run(program, arguments, timeout: TimeSpan.FromSeconds(60));

    private static void Check(ProcessResult result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed: {result}");
        }
    }

    private static bool IsRoot => Environment.IsPrivilegedProcess;

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex DatabaseName();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Stop();
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
