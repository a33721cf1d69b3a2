namespace Beacon.Testing;

/// <summary>
/// Whether tests that need a real PostgreSQL or Redis server can run. Missing servers skip those tests
/// on a developer's machine with the reason, but never under CI=true: there the tests run and fail,
/// because CI must not report green for a real-peer test that did not run.
/// </summary>
public static class RealServices
{
    /// <summary>Why PostgreSQL tests are skipped here, or null when they run.</summary>
    public static string? PostgresSkipReason() =>
        PostgresServer.MissingBinaries() is { } missing && !OpenSsh.IsCi
            ? $"PostgreSQL missing ({missing}); run scripts/test, which installs it"
            : null;

    /// <summary>Why Redis tests are skipped here, or null when they run.</summary>
    public static string? RedisSkipReason() =>
        RedisServer.MissingBinaries() is { } missing && !OpenSsh.IsCi
            ? $"Redis missing ({missing}); run scripts/test, which installs it"
            : null;

    /// <summary>Why the tests of a class marked <see cref="RequiresPostgresAttribute"/> or <see cref="RequiresRedisAttribute"/> are skipped, or null.</summary>
    public static string? SkipReasonFor(Type testClass) =>
        (testClass.IsDefined(typeof(RequiresPostgresAttribute), inherit: true) ? PostgresSkipReason() : null)
        ?? (testClass.IsDefined(typeof(RequiresRedisAttribute), inherit: true) ? RedisSkipReason() : null);
}

/// <summary>
/// Marks a test class whose tests (declared with <see cref="DatabaseFactAttribute"/> or
/// <see cref="DatabaseTheoryAttribute"/>, typically in an abstract suite shared with SQLite) need a
/// real PostgreSQL server.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>Marks a test class whose <see cref="DatabaseFactAttribute"/> tests need a real Redis server.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresRedisAttribute : Attribute;
