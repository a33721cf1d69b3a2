using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Beacon.Diag.Hosting;
using Beacon.Diag.Tests.Fixtures;

namespace Beacon.Diag.Tests.Isolation;

/// <summary>
/// beacon-diag cannot touch issuance: it references neither the server nor the API client, reads no
/// configuration of beacon-server, and its only outbound HTTP is the configured webhook.
/// </summary>
public sealed class IsolationTests
{
    private static readonly string[] Forbidden = ["Beacon.Server", "beacon-server", "Beacon.Client"];

    [Fact]
    public void AssemblyReferencesNeitherServerNorClient()
    {
        var references = typeof(DiagOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("Beacon.CommandLine", references);
        foreach (var name in Forbidden)
        {
            Assert.DoesNotContain(name, references, StringComparer.OrdinalIgnoreCase);
        }
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "beacon-server.dll")), "beacon-server.dll is in beacon-diag's dependency closure");
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "Beacon.Client.dll")), "Beacon.Client.dll is in beacon-diag's dependency closure");
    }

    [Fact]
    public void ProjectReferencesNeitherServerNorClient()
    {
        var project = XDocument.Load(Path.Combine(SourceDirectory(), "Beacon.Diag.csproj"));
        var references = project.Descendants("ProjectReference").Select(r => (string)r.Attribute("Include")!).ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.DoesNotContain("Beacon.Server", reference, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Beacon.Client", reference, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void ConfigurationHasNoBeaconServerKeys()
    {
        Assert.Equal("Diag", DiagOptions.Section);
        using var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(SourceDirectory(), "appsettings.json")));
        var sections = appsettings.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["Logging", "Diag"], sections);
        Assert.DoesNotContain("\"Beacon\"", File.ReadAllText(Path.Combine(SourceDirectory(), "appsettings.json")), StringComparison.Ordinal);
        // No source file reads beacon-server's section or its environment variables.
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            Assert.False(Regex.IsMatch(text, "\"Beacon[:_]|Beacon__|BEACON_"), $"{file} mentions beacon-server configuration");
        }
    }

    [Fact]
    public async Task BeaconServerSettingsAreIgnored()
    {
        // A beacon-server database setting in the same environment changes nothing for beacon-diag.
        using var factory = new DiagFactory(new Dictionary<string, string?>
        {
            ["Beacon:Database:Provider"] = "postgres",
            ["Beacon:Database:ConnectionString"] = "Host=192.0.2.1;Database=beacon",
        });
        using var client = factory.CreateClient();
        using var response = await Batches.PostAsync(client, Batches.Valid());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(File.Exists(factory.Directory.File("diag.db")));
    }

    [Fact]
    public void OnlyTheWebhookNotifierMakesOutboundConnections()
    {
        var outbound = new Regex(@"\b(HttpClient|HttpMessageHandler|SocketsHttpHandler|WebRequest|WebClient|TcpClient|UdpClient|Socket|Dns\.|ClientWebSocket|SmtpClient)\b");
        var users = SourceFiles()
            .Where(f => outbound.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(SourceDirectory(), f))
            .ToList();
        Assert.Equal([Path.Combine("Alerts", "WebhookNotifier.cs")], users);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceDirectory(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>src/Beacon.Diag, found upward from the test's output directory.</summary>
    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(here)!); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Beacon.Diag");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("src/Beacon.Diag not found above " + here);
    }
}
