using Beacon.Testing;

namespace Beacon.Telemetry.Tests;

public sealed class TelemetrySettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new("beacon-telemetry-test-");

    private string SettingsPath => Path.Combine(_dir.Path, "config", "beacon", "telemetry.json");

    [Fact]
    public void MissingFileMeansOff()
    {
        var settings = TelemetrySettings.Load(SettingsPath);
        Assert.False(settings.Enabled);
        Assert.False(settings.IsActive);
    }

    [Fact]
    public void SavedSettingsRoundTripInAPrivateFile()
    {
        var settings = new TelemetrySettings { Enabled = true, Url = "http://127.0.0.1:8444/", ClientId = TelemetrySettings.NewClientId(), TimeoutMs = 250 };
        settings.Save(SettingsPath);
        Assert.Equal(settings, TelemetrySettings.Load(SettingsPath));
        Assert.True(TelemetrySettings.Load(SettingsPath).IsActive);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SettingsPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(SettingsPath)!));
    }

    [Fact]
    public void InstallIdsAreRandomAndMatchTheSchema()
    {
        var a = TelemetrySettings.NewClientId();
        var b = TelemetrySettings.NewClientId();
        Assert.NotEqual(a, b);
        Assert.Matches(TelemetrySchema.ClientId(), a);
    }

    public static TheoryData<string, string> BrokenFiles() => new()
    {
        { "not JSON", "on" },
        { "unknown field", "{\"enabled\":true,\"password\":\"x\"}" },
        { "wrong type", "{\"enabled\":\"yes\"}" },
        { "timeout too long", "{\"enabled\":true,\"timeout_ms\":60000}" },
        { "too large", "{\"url\":\"" + new string('a', 5000) + "\"}" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFileIsReportedByLoadAndMeansOffForSending(string description, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsPath)!);
        File.WriteAllText(SettingsPath, content);
        var e = Assert.Throws<TelemetrySettingsException>(() => TelemetrySettings.Load(SettingsPath));
        Assert.True(e.Message.Contains(SettingsPath, StringComparison.Ordinal), description);
        Assert.False(TelemetrySettings.LoadOrOff(SettingsPath).IsActive);
    }

    [Theory]
    [InlineData("http://diag.example:8444", true)]
    [InlineData("https://diag.example/base/", true)]
    [InlineData("ftp://diag.example", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("https://user:secret@diag.example", false)]
    [InlineData("https://diag.example/?token=x", false)]
    [InlineData("diag.example", false)]
    [InlineData("", false)]
    public void UrlsAreCheckedBeforeTheyAreStored(string url, bool valid)
    {
        Assert.Equal(valid, TelemetrySettings.TryParseUrl(url, out _, out _));
    }

    [Fact]
    public void EndpointIsTheBaseUrlsTelemetryPath()
    {
        Assert.Equal("https://diag.example/base/v1/telemetry", new TelemetrySettings { Url = "https://diag.example/base/" }.EndpointUrl().AbsoluteUri);
        Assert.Equal("http://diag.example:8444/v1/telemetry", new TelemetrySettings { Url = "http://diag.example:8444" }.EndpointUrl().AbsoluteUri);
    }

    public void Dispose() => _dir.Dispose();
}
