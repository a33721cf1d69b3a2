using Beacon.Testing;

namespace Beacon.Server.Tests.Fixtures;

/// <summary>
/// Fresh, empty databases of one engine, as a class fixture: suites written once in an abstract class
/// run on SQLite and on PostgreSQL through one derived class per engine.
/// </summary>
public abstract class DatabaseEngine : IDisposable
{
    /// <summary>False when the engine is missing here (the tests that need it are skipped, outside CI).</summary>
    public virtual bool Available => true;

    /// <summary>A database no test has used yet.</summary>
    public abstract Task<DatabaseTarget> NewDatabaseAsync();

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>SQLite: every server directory gets a file of its own, so each target is fresh.</summary>
public sealed class SqliteEngine : DatabaseEngine
{
    public override Task<DatabaseTarget> NewDatabaseAsync() => Task.FromResult(DatabaseTarget.Sqlite);
}

/// <summary>PostgreSQL: one throwaway cluster per test class, a new database on each request.</summary>
public sealed class PostgresEngine : DatabaseEngine
{
    private readonly PostgresServer? _server = RealServices.PostgresSkipReason() is null ? PostgresServer.Start() : null;

    public override bool Available => _server is not null;

    /// <summary>The cluster, to stop and restart it (outage tests).</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is missing here.</exception>
    public PostgresServer Server => _server ?? throw new InvalidOperationException(RealServices.PostgresSkipReason());

    public override async Task<DatabaseTarget> NewDatabaseAsync() => DatabaseTarget.Postgres(await Server.CreateDatabaseAsync());

    public override void Dispose()
    {
        _server?.Dispose();
        base.Dispose();
    }
}

/// <summary>One test server per test class, on a fresh database of the engine.</summary>
public abstract class ServerFixture<TEngine> : IAsyncLifetime where TEngine : DatabaseEngine, new()
{
    private BeaconServerFactory? _factory;

    public TEngine Engine { get; } = new();

    /// <exception cref="InvalidOperationException">The engine is missing here.</exception>
    public BeaconServerFactory Factory => _factory ?? throw new InvalidOperationException("the database engine is not available");

    public async Task InitializeAsync()
    {
        if (Engine.Available)
        {
            _factory = new BeaconServerFactory(database: await Engine.NewDatabaseAsync());
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        Engine.Dispose();
    }
}

/// <summary>A class's test server on SQLite.</summary>
public sealed class SqliteServerFixture : ServerFixture<SqliteEngine>;

/// <summary>A class's test server on its own PostgreSQL cluster.</summary>
public sealed class PostgresServerFixture : ServerFixture<PostgresEngine>;
