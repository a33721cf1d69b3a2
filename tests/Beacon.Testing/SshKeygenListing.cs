using System.Globalization;

namespace Beacon.Testing;

/// <summary>
/// What `ssh-keygen -L -f CERT` printed for one certificate, field by field, so tests can compare
/// our reading of a certificate with OpenSSH's. Option lines are kept as printed ("force-command
/// /bin/true", "permit-pty", "x@y UNKNOWN FLAG OPTION").
/// </summary>
public sealed record SshKeygenListing(
    string Type,
    string PublicKey,
    string SigningCa,
    string KeyId,
    ulong Serial,
    string Valid,
    IReadOnlyList<string> Principals,
    IReadOnlyList<string> CriticalOptions,
    IReadOnlyList<string> Extensions)
{
    /// <summary>Runs ssh-keygen -L on a certificate file (with TZ=UTC, so times print in UTC) and parses what it prints.</summary>
    /// <exception cref="InvalidOperationException">ssh-keygen failed.</exception>
    public static SshKeygenListing Of(string certificateFile)
    {
        var result = OpenSsh.Run(OpenSsh.SshKeygen, ["-L", "-f", certificateFile], environment: new Dictionary<string, string?> { ["TZ"] = "UTC" });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen -L -f {certificateFile} failed:\n{result}");
        }
        return Parse(result.StandardOutput);
    }

    /// <summary>Parses ssh-keygen 9.2's -L output for one certificate.</summary>
    /// <exception cref="FormatException">The text is not in that layout.</exception>
    public static SshKeygenListing Parse(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            if (raw.Length == 0 || !char.IsWhiteSpace(raw[0]))
            {
                continue; // the "FILE:" header, or the end
            }
            var line = raw.Trim();
            // List items are indented twice (16 spaces); field lines once (8 spaces).
            if (raw.StartsWith("                ", StringComparison.Ordinal))
            {
                (current ?? throw new FormatException($"a list item outside a list: {line}")).Add(line);
                continue;
            }
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var name = colon < 0 ? line.TrimEnd(':') : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 2)..].Trim();
            if (name is "Principals" or "Critical Options" or "Extensions")
            {
                current = [];
                lists[name] = current;
                if (value is not ("" or "(none)"))
                {
                    throw new FormatException($"unexpected value after {name}: {value}");
                }
            }
            else
            {
                current = null;
                fields[name] = value;
            }
        }

        string Field(string name) => fields.TryGetValue(name, out var value) ? value : throw new FormatException($"no \"{name}\" line in:\n{output}");
        IReadOnlyList<string> List(string name) => lists.TryGetValue(name, out var value) ? value : throw new FormatException($"no \"{name}\" list in:\n{output}");

        var keyId = Field("Key ID");
        if (keyId.Length < 2 || keyId[0] != '"' || keyId[^1] != '"')
        {
            throw new FormatException($"Key ID is not quoted: {keyId}");
        }
        return new SshKeygenListing(
            Field("Type"),
            Field("Public key"),
            Field("Signing CA"),
            keyId[1..^1],
            ulong.Parse(Field("Serial"), CultureInfo.InvariantCulture),
            Field("Valid"),
            List("Principals"),
            List("Critical Options"),
            List("Extensions"));
    }
}
