using Beacon.Testing;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>Asks the real ssh-keygen what it thinks of a KRL.</summary>
public static class SshKeygenKrl
{
    /// <summary>
    /// Runs ssh-keygen -Q -f KRL FILE... once and returns its verdict per file: true for REVOKED, false for ok.
    /// Anything else (a KRL it cannot load, an unreadable key) fails the test with ssh-keygen's own words.
    /// </summary>
    public static Dictionary<string, bool> Query(string krlPath, IReadOnlyCollection<string> files)
    {
        var result = OpenSsh.Keygen(["-Q", "-f", krlPath, .. files]);
        // Exit 0: nothing revoked; exit 1: something revoked; both print one verdict line per file.
        Assert.True(result.ExitCode is 0 or 1, $"ssh-keygen -Q failed: {result}");
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            Assert.True(colon > 0, $"ssh-keygen -Q printed an unexpected line: {line}\n{result}");
            var path = line[..colon];
            var comment = path.IndexOf(" (", StringComparison.Ordinal);
            if (comment > 0)
            {
                path = path[..comment];
            }
            verdicts[path] = line[(colon + 2)..] switch
            {
                "REVOKED" => true,
                "ok" => false,
                var other => throw new InvalidOperationException($"ssh-keygen -Q verdict \"{other}\" in: {result}"),
            };
        }
        Assert.Equal(files.Count, verdicts.Count);
        Assert.Equal(verdicts.Values.Any(v => v) ? 1 : 0, result.ExitCode);
        return verdicts;
    }
}
