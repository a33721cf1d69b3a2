namespace Beacon.Testing;

/// <summary>A clock that stands still until a test moves it. Only <see cref="GetUtcNow"/> is faked.</summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    /// <summary>A clock at the given Unix time in seconds.</summary>
    public static FakeTimeProvider AtUnixSeconds(long seconds) => new(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public override DateTimeOffset GetUtcNow() => _now;

    public void SetUtcNow(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan delta) => _now += delta;
}
