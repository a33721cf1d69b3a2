namespace Beacon.Diag.Tests.Cli;

public sealed class DiagCliTests
{
    [Fact]
    public void HelpNamesTheRunCommand()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("run", output, StringComparison.Ordinal);
        Assert.Contains("Shares nothing with beacon-server", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RunHelpDescribesItsOptions()
    {
        var (code, output, _) = Run("run", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--data-dir", output, StringComparison.Ordinal);
        Assert.Contains("--urls", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RunWithoutDataDirIsAUsageError()
    {
        var (code, _, error) = Run("run");
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--data-dir", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DiagCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
