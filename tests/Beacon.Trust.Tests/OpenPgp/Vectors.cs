namespace Beacon.Trust.Tests.OpenPgp;

/// <summary>The gpg-made vectors under testdata/openpgp (see its README for the commands).</summary>
internal static class Vectors
{
    public const string Ed25519Fingerprint = "6C5660A864747CF84465A974715F0B45C4CFDFA5";
    public const string Rsa3072Fingerprint = "B107D00F4A9CE5658AC37CD7FB66ED7D3DE83E78";

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "openpgp", name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "openpgp", name));

    public static byte[] Document => Read("document.json");

    /// <summary>The binary packets inside an armored vector.</summary>
    public static byte[] Binary(string name) => Trust.OpenPgp.Encoding.OpenPgpArmor.Decode(Text(name),
        name.EndsWith(".pub.asc", StringComparison.Ordinal) ? "PUBLIC KEY BLOCK" : "SIGNATURE");
}
