using System.Globalization;
using System.Text;
using System.Text.Json;
using Beacon.Ssh;
using Beacon.Ssh.Keys;

namespace Beacon.Trust.Bundle;

/// <summary>
/// The bundle's JSON form. The signature covers these exact bytes: a host parses the bytes it verified,
/// never a re-serialization. Writing is deterministic (fixed field order, sorted groups) so equal bundles
/// are equal bytes.
/// </summary>
public static class TrustBundleDocument
{
    public const string Format = "beacon-trust-bundle/1";

    /// <summary>Sanity bounds, not a spec: far above any real deployment, far below a memory problem.</summary>
    public const int MaxBytes = 1024 * 1024;
    public const int MaxKeys = 64;
    public const int MaxGroups = 4096;
    public const int MaxAccountsPerGroup = 4096;
    public const int MaxNameLength = 128;

    public static byte[] Serialize(TrustBundle bundle)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", bundle.Version);
            json.WriteString("created_at", bundle.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            WriteCaKeys(json, "user_ca_keys", bundle.UserCaKeys);
            WriteCaKeys(json, "host_ca_keys", bundle.HostCaKeys);
            json.WriteStartArray("revocation_keys");
            foreach (var key in bundle.RevocationKeys)
            {
                json.WriteStringValue(key.ToOpenSshString());
            }
            json.WriteEndArray();
            json.WriteStartObject("host_groups");
            foreach (var (group, accounts) in bundle.HostGroups.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                json.WriteStartArray(group);
                foreach (var account in accounts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    json.WriteStringValue(account);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Parses and checks a bundle document.</summary>
    /// <exception cref="TrustBundleFormatException">Too large, not JSON, a missing or unknown field, a bad key or name.</exception>
    public static TrustBundle Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new TrustBundleFormatException($"bundle: {bytes.Length} bytes, more than the {MaxBytes} allowed");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new TrustBundleFormatException($"bundle: not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TrustBundleFormatException("bundle: not a JSON object");
            }
            string[] known = ["format", "version", "created_at", "user_ca_keys", "host_ca_keys", "revocation_keys", "host_groups"];
            foreach (var property in root.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new TrustBundleFormatException($"bundle: unknown field \"{Printable(property.Name)}\"");
                }
            }
            var format = String(Field(root, "format"), "format");
            if (format != Format)
            {
                throw new TrustBundleFormatException($"format: \"{Printable(format)}\" is not {Format}");
            }
            var versionElement = Field(root, "version");
            if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt64(out var version) || version < 1)
            {
                throw new TrustBundleFormatException("version: must be a positive integer");
            }
            var createdText = String(Field(root, "created_at"), "created_at");
            if (!DateTimeOffset.TryParseExact(createdText, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
            {
                throw new TrustBundleFormatException("created_at: must be a UTC time like 2026-01-31T12:00:00Z");
            }
            var userCas = ReadCaKeys(Field(root, "user_ca_keys"), "user_ca_keys");
            var hostCas = ReadCaKeys(Field(root, "host_ca_keys"), "host_ca_keys");
            var revocation = Array(Field(root, "revocation_keys"), "revocation_keys", MaxKeys)
                .Select((e, i) => Key(String(e, $"revocation_keys[{i}]"), $"revocation_keys[{i}]")).ToList();
            var groups = ReadGroups(Field(root, "host_groups"));
            if (userCas.Count(k => k.State == BundleCaKey.Active) != 1)
            {
                throw new TrustBundleFormatException("user_ca_keys: exactly one key must be active");
            }
            if (hostCas.Count(k => k.State == BundleCaKey.Active) != 1)
            {
                throw new TrustBundleFormatException("host_ca_keys: exactly one key must be active");
            }
            if (revocation.Count == 0)
            {
                throw new TrustBundleFormatException("revocation_keys: at least one key is required");
            }
            return new TrustBundle(version, created, userCas, hostCas, revocation, groups);
        }
    }

    /// <summary>Whether a host group or account name is safe to use as a principal part and a file name.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name[0] != '.' && name[0] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-');

    private static void WriteCaKeys(Utf8JsonWriter json, string name, IReadOnlyList<BundleCaKey> keys)
    {
        json.WriteStartArray(name);
        foreach (var key in keys)
        {
            json.WriteStartObject();
            json.WriteString("key", key.Key.ToOpenSshString());
            json.WriteString("state", key.State);
            json.WriteString("fingerprint", key.Key.Fingerprint);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static List<BundleCaKey> ReadCaKeys(JsonElement element, string field)
    {
        var keys = new List<BundleCaKey>();
        foreach (var (item, i) in Array(element, field, MaxKeys).Select((e, i) => (e, i)))
        {
            var where = $"{field}[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new TrustBundleFormatException($"{where}: must be an object");
            }
            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is not ("key" or "state" or "fingerprint"))
                {
                    throw new TrustBundleFormatException($"{where}: unknown field \"{Printable(property.Name)}\"");
                }
            }
            var key = Key(String(Field(item, "key", where), $"{where}.key"), $"{where}.key");
            var state = String(Field(item, "state", where), $"{where}.state");
            if (!BundleCaKey.IsKnownState(state))
            {
                throw new TrustBundleFormatException($"{where}.state: \"{Printable(state)}\" is not next, active or previous");
            }
            if (item.TryGetProperty("fingerprint", out var fingerprint) && String(fingerprint, $"{where}.fingerprint") != key.Fingerprint)
            {
                throw new TrustBundleFormatException($"{where}.fingerprint: does not match the key");
            }
            keys.Add(new BundleCaKey(key, state));
        }
        return keys;
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadGroups(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TrustBundleFormatException("host_groups: must be an object");
        }
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (groups.Count >= MaxGroups)
            {
                throw new TrustBundleFormatException($"host_groups: more than {MaxGroups} groups");
            }
            if (!IsValidName(property.Name) || groups.ContainsKey(property.Name))
            {
                throw new TrustBundleFormatException($"host_groups: \"{Printable(property.Name)}\" is not a valid, unique group name");
            }
            var accounts = Array(property.Value, $"host_groups.{property.Name}", MaxAccountsPerGroup)
                .Select((e, i) => String(e, $"host_groups.{property.Name}[{i}]")).ToList();
            if (accounts.FirstOrDefault(a => !IsValidName(a)) is { } bad)
            {
                throw new TrustBundleFormatException($"host_groups.{property.Name}: \"{Printable(bad)}\" is not a valid account name");
            }
            groups[property.Name] = accounts;
        }
        return groups;
    }

    private static JsonElement Field(JsonElement parent, string name, string? where = null) =>
        parent.TryGetProperty(name, out var value) ? value
            : throw new TrustBundleFormatException(where is null ? $"{name}: missing" : $"{where}.{name}: missing");

    private static string String(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new TrustBundleFormatException($"{field}: must be a string");

    private static IEnumerable<JsonElement> Array(JsonElement element, string field, int max)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new TrustBundleFormatException($"{field}: must be an array");
        }
        if (element.GetArrayLength() > max)
        {
            throw new TrustBundleFormatException($"{field}: more than {max} entries");
        }
        return element.EnumerateArray();
    }

    private static SshPublicKey Key(string text, string field)
    {
        try
        {
            return SshPublicKeyParser.ParseLine(text);
        }
        catch (SshFormatException e)
        {
            throw new TrustBundleFormatException($"{field}: {e.Message}");
        }
    }

    private static string Printable(string text)
    {
        var shown = text.Length > 64 ? text[..64] + "…" : text;
        var builder = new StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.ToString();
    }
}
