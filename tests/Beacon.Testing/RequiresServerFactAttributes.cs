using Xunit;

namespace Beacon.Testing;

/// <summary>A fact that needs a real PostgreSQL server (skipped locally without one, failed under CI=true).</summary>
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute() => Skip = RealServices.PostgresSkipReason();
}

/// <summary>A theory that needs a real PostgreSQL server (skipped locally without one, failed under CI=true).</summary>
public sealed class RequiresPostgresTheoryAttribute : TheoryAttribute
{
    public RequiresPostgresTheoryAttribute() => Skip = RealServices.PostgresSkipReason();
}

/// <summary>A fact that needs a real Redis server (skipped locally without one, failed under CI=true).</summary>
public sealed class RequiresRedisFactAttribute : FactAttribute
{
    public RequiresRedisFactAttribute() => Skip = RealServices.RedisSkipReason();
}
