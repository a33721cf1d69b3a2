using Beacon.Server.Audit;
using Beacon.Server.Hosting;
using Beacon.Server.Storage;

namespace Beacon.Server.Commands;

/// <summary>
/// What a local admin command needs: the data directory's configuration and its store, migrated.
/// Local commands are audited like the API, with the actor local:USER.
/// </summary>
public sealed class LocalServerContext : IDisposable
{
    private LocalServerContext(DataDirectory data, BeaconServerOptions options, SqlBeaconStore store)
    {
        Data = data;
        Options = options;
        Store = store;
    }

    public DataDirectory Data { get; }

    public BeaconServerOptions Options { get; }

    public SqlBeaconStore Store { get; }

    public static string Actor => $"local:{Environment.UserName}";

    public long NowMs => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    /// <exception cref="CommandException">The directory is not initialised.</exception>
    public static async Task<LocalServerContext> OpenAsync(string dataDir, CancellationToken cancellationToken)
    {
        var data = new DataDirectory(dataDir);
        if (!data.IsInitialised)
        {
            throw new CommandException($"{data.Root} is not an initialised data directory (run beacon-server init --data-dir {dataDir})");
        }
        var options = ServerConfiguration.Load(data);
        var store = new SqlBeaconStore(ServerComposition.CreateDialect(options), TimeProvider.System);
        try
        {
            await store.MigrateAsync(cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            throw new CommandException($"the database is unavailable: {e.InnerException?.Message ?? e.Message}");
        }
        return new LocalServerContext(data, options, store);
    }

    public AuditDraft Audit(string kind, string? subject, Dictionary<string, object?>? details = null) =>
        new(kind, AuditOutcome.Success, Actor, subject, details ?? []);

    public void Dispose() => (Store.Dialect as IDisposable)?.Dispose();
}

/// <summary>A user-facing command failure: printed as one line, exit code 1, no stack trace.</summary>
public sealed class CommandException(string message) : Beacon.CommandLine.UserFacingException(message);
