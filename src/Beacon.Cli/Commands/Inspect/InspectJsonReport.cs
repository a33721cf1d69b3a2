using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Ssh.Keys;

namespace Beacon.Cli.Commands.Inspect;

/// <summary>The --json form: one object per file, snake_case names, the serial as a string (it does not fit a JSON number).</summary>
internal static class InspectJsonReport
{
    private static readonly InspectJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Fingerprints hold '+' and '/'; keep them readable rather than \u002B. The output is never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Format(InspectedItem item) => item switch
    {
        InspectedCertificate c => JsonSerializer.Serialize(Certificate(c), Context.CertificateJson) + "\n",
        InspectedPublicKey k => JsonSerializer.Serialize(
            new PublicKeyJson("public_key", k.Key.KeyType, k.Key.SizeInBits, k.Key.Fingerprint, k.Comment), Context.PublicKeyJson) + "\n",
        InspectedPrivateKey p => JsonSerializer.Serialize(
            new PrivateKeyJson("private_key", p.PublicKey.KeyType, p.PublicKey.SizeInBits, p.PublicKey.Fingerprint, p.Encrypted,
                p.Cipher, p.Kdf, p.Comment), Context.PrivateKeyJson) + "\n",
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    private static CertificateJson Certificate(InspectedCertificate item)
    {
        var c = item.Certificate;
        return new CertificateJson(
            Kind: "certificate",
            Type: c.CertificateType,
            CertificateType: KeyDisplay.CertificateKind(c.Type),
            KeyId: c.KeyId,
            Serial: c.Serial.ToString(CultureInfo.InvariantCulture),
            PublicKey: Key(c.PublicKey),
            SigningCa: new SigningCaJson(c.SignatureKey.KeyType, c.SignatureKey.SizeInBits, c.SignatureKey.Fingerprint, c.Signature.Algorithm),
            ValidAfter: KeyDisplay.Time(c.ValidAfter),
            ValidBefore: c.ValidBefore == Beacon.Ssh.Certificates.SshCertificate.Forever ? "forever" : KeyDisplay.Time(c.ValidBefore),
            Validity: KeyDisplay.Validity(c),
            Principals: c.Principals,
            CriticalOptions: c.CriticalOptions.ToDictionary(o => o.Name, KeyDisplay.OptionValue),
            Extensions: c.Extensions.ToDictionary(o => o.Name, KeyDisplay.OptionValue),
            Comment: item.Comment);
    }

    private static KeyJson Key(SshPublicKey key) => new(key.KeyType, key.SizeInBits, key.Fingerprint);
}

internal sealed record KeyJson(string Type, int Bits, string Fingerprint);

internal sealed record SigningCaJson(string Type, int Bits, string Fingerprint, string SignatureAlgorithm);

/// <summary>valid_after and valid_before are UTC ISO 8601; valid_before is "forever" for a certificate that never expires.</summary>
internal sealed record CertificateJson(
    string Kind,
    string Type,
    string CertificateType,
    string KeyId,
    string Serial,
    KeyJson PublicKey,
    SigningCaJson SigningCa,
    string ValidAfter,
    string ValidBefore,
    string Validity,
    IReadOnlyList<string> Principals,
    Dictionary<string, string> CriticalOptions,
    Dictionary<string, string> Extensions,
    string? Comment);

internal sealed record PublicKeyJson(string Kind, string Type, int Bits, string Fingerprint, string? Comment);

internal sealed record PrivateKeyJson(string Kind, string Type, int Bits, string Fingerprint, bool Encrypted, string Cipher, string Kdf, string? Comment);

[JsonSerializable(typeof(CertificateJson))]
[JsonSerializable(typeof(PublicKeyJson))]
[JsonSerializable(typeof(PrivateKeyJson))]
internal sealed partial class InspectJsonContext : JsonSerializerContext;
