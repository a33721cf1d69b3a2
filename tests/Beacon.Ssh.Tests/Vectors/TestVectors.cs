namespace Beacon.Ssh.Tests.Vectors;

/// <summary>
/// The committed vectors under testdata/, made by ssh-keygen 9.2 with testdata/make-vectors.sh and
/// copied beside the test assembly. Names are file names without the directory and extension.
/// </summary>
public static class TestVectors
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "testdata");

    /// <summary>Subject keys: keys/NAME and keys/NAME.pub.</summary>
    public static IReadOnlyList<string> KeyNames { get; } = ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-2048", "rsa-3072"];

    /// <summary>CA keys: ca/NAME and ca/NAME.pub.</summary>
    public static IReadOnlyList<string> CaNames { get; } = ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-3072"];

    /// <summary>Certificates: certs/NAME-cert.pub, found on disk so a new vector needs no code change.</summary>
    public static IReadOnlyList<string> CertificateNames { get; } =
        Directory.Exists(Path.Combine(Root, "certs"))
            ? Directory.GetFiles(Path.Combine(Root, "certs"), "*-cert.pub")
                .Select(f => Path.GetFileName(f)[..^"-cert.pub".Length])
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public static string KeyPath(string name) => Path.Combine(Root, "keys", name);

    public static string CaPath(string name) => Path.Combine(Root, "ca", name);

    public static string CertificatePath(string name) => Path.Combine(Root, "certs", name + "-cert.pub");

    /// <summary>The first line of a text file, without its line ending.</summary>
    public static string FirstLine(string path) => File.ReadLines(path).First();

    /// <summary>Every .pub line: subject keys and CA keys, named "keys/NAME" or "ca/NAME".</summary>
    public static IEnumerable<string> PublicKeyFiles() =>
        KeyNames.Select(n => "keys/" + n).Concat(CaNames.Select(n => "ca/" + n));

    /// <summary>Every private key file made by ssh-keygen, named "keys/NAME" or "ca/NAME".</summary>
    public static IEnumerable<string> PrivateKeyFiles() => PublicKeyFiles();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static TheoryData<string> Data(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names)
        {
            data.Add(name);
        }
        return data;
    }

    public static TheoryData<string> PublicKeys => Data(PublicKeyFiles());

    public static TheoryData<string> PrivateKeys => Data(PrivateKeyFiles());

    public static TheoryData<string> Certificates => Data(CertificateNames);
}
