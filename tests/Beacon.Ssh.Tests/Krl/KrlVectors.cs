using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Ssh.Tests.Krl;

/// <summary>
/// The KRL vectors under testdata/krl, made by make-vectors.sh with ssh-keygen, and the verdicts
/// ssh-keygen -Q gave for each certificate and key against each KRL (expected.txt).
/// </summary>
public static class KrlVectors
{
    public static string Directory { get; } = Locate();

    public static IReadOnlyList<string> KrlNames { get; } =
        [.. System.IO.Directory.GetFiles(Directory, "*.krl").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Each (KRL, file, revoked) line of expected.txt.</summary>
    public static IReadOnlyList<(string Krl, string File, bool Revoked)> Expected { get; } =
        [.. File.ReadAllLines(Path.Combine(Directory, "expected.txt"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split(' '))
            .Select(parts => (parts[0], parts[1], parts[2] switch
            {
                "REVOKED" => true,
                "ok" => false,
                _ => throw new InvalidDataException($"expected.txt: bad verdict {parts[2]}"),
            }))];

    public static TheoryData<string> KrlNamesData()
    {
        var data = new TheoryData<string>();
        foreach (var name in KrlNames)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>A certificate (-cert.pub) or plain key (.pub) file of the vectors.</summary>
    public static (SshCertificate? Certificate, SshPublicKey? Key) Load(string file)
    {
        var line = File.ReadAllText(Path.Combine(Directory, file)).Trim();
        return file.EndsWith("-cert.pub", StringComparison.Ordinal)
            ? (SshCertificateParser.ParseLine(line), null)
            : (null, SshPublicKeyParser.ParseLine(line));
    }

    private static string Locate()
    {
        // The test binaries run from tests/Beacon.Ssh.Tests/bin/...; the vectors live in the source tree.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "testdata", "krl");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"testdata/krl not found above {AppContext.BaseDirectory}");
    }
}
