using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Telemetry.Cli;
using Beacon.Testing;

namespace Beacon.Telemetry.Tests;

public sealed class TelemetryCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("beacon-telemetry-cli-");

    private string SettingsPath => _dir.File("cfg/telemetry.json");

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new Command("beacon") { new System.CommandLine.Help.HelpOption(), TelemetryCommandFactory.Create("beacon", SettingsPath, output, error) };
        var code = CommandLineRunner.Run("beacon", root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void StatusIsOffByDefault()
    {
        var (code, output, _) = Run("telemetry", "status");
        Assert.Equal(0, code);
        Assert.Contains("telemetry: off", output, StringComparison.Ordinal);
        Assert.Contains(SettingsPath, output, StringComparison.Ordinal);
        Assert.False(File.Exists(SettingsPath));
    }

    [Fact]
    public void OnOffOnKeepsTheInstallId()
    {
        Assert.Equal(0, Run("telemetry", "on", "--url", "http://127.0.0.1:8444").Code);
        var first = TelemetrySettings.Load(SettingsPath);
        Assert.True(first.IsActive);
        Assert.Equal("http://127.0.0.1:8444/", first.Url);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SettingsPath));

        Assert.Equal(0, Run("telemetry", "off").Code);
        Assert.False(TelemetrySettings.Load(SettingsPath).IsActive);
        Assert.Contains("telemetry: off", Run("telemetry", "status").Output, StringComparison.Ordinal);

        Assert.Equal(0, Run("telemetry", "on", "--url", "https://diag.example", "--timeout-ms", "200").Code);
        var again = TelemetrySettings.Load(SettingsPath);
        Assert.Equal(first.ClientId, again.ClientId);
        Assert.Equal(200, again.TimeoutMs);
        Assert.Contains("telemetry: on", Run("telemetry", "status").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://diag.example")]
    [InlineData("https://user:pw@diag.example")]
    [InlineData("not a url")]
    public void BadUrlFailsWithOneLineAndWritesNothing(string url)
    {
        var (code, _, error) = Run("telemetry", "on", "--url", url);
        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("beacon: --url", error, StringComparison.Ordinal);
        Assert.False(File.Exists(SettingsPath));
    }

    [Fact]
    public void TimeoutOutOfRangeFails()
    {
        Assert.Equal(1, Run("telemetry", "on", "--url", "http://127.0.0.1:1", "--timeout-ms", "5000").Code);
    }

    [Fact]
    public void OnWithoutUrlIsAUsageError()
    {
        Assert.Equal(2, Run("telemetry", "on").Code);
    }

    [Fact]
    public void BrokenSettingsAreReportedByStatusAndReplacedByOn()
    {
        _dir.Write("cfg-placeholder", "");
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsPath)!);
        File.WriteAllText(SettingsPath, "garbage");
        var status = Run("telemetry", "status");
        Assert.Equal(1, status.Code);
        Assert.Contains("not valid telemetry settings", status.Error, StringComparison.Ordinal);
        Assert.Equal(0, Run("telemetry", "on", "--url", "http://127.0.0.1:1").Code);
        Assert.True(TelemetrySettings.Load(SettingsPath).IsActive);
    }

    [Fact]
    public void HelpDescribesEverySubcommand()
    {
        var (code, output, _) = Run("telemetry", "--help");
        Assert.Equal(0, code);
        foreach (var name in new[] { "on", "off", "status" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _dir.Dispose();
}
