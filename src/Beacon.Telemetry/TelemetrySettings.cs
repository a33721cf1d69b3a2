using System.Security.Cryptography;
using System.Text.Json;

namespace Beacon.Telemetry;

/// <summary>
/// Whether telemetry is on, where it goes and the random install id, kept in a small JSON file
/// (~/.config/beacon/telemetry.json for beacon; beacon-host's configuration names its own). Off unless
/// the file says otherwise.
/// </summary>
public sealed record TelemetrySettings
{
    /// <summary>The file is a few fields; anything larger is not ours.</summary>
    public const int MaxFileBytes = 4096;

    public const int DefaultTimeoutMs = 300;

    /// <summary>The upper bound on <see cref="TimeoutMs"/>: telemetry must never hold a command up for long.</summary>
    public const int MaxTimeoutMs = 2000;

    public bool Enabled { get; init; }

    public string? Url { get; init; }

    public string? ClientId { get; init; }

    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    /// <summary>Telemetry off, as when no file exists.</summary>
    public static TelemetrySettings Off { get; } = new();

    /// <summary>beacon's settings file: ~/.config/beacon/telemetry.json.</summary>
    public static string DefaultPathForBeacon() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "beacon", "telemetry.json");

    /// <summary>Whether events would be sent: on, with a valid URL and install id.</summary>
    public bool IsActive => Enabled && TryParseUrl(Url, out _, out _) && ClientId is not null && TelemetrySchema.ClientId().IsMatch(ClientId);

    /// <summary>A fresh random install id (128 bits, base64url): it identifies an installation, not a person.</summary>
    public static string NewClientId() => Base64Url(RandomNumberGenerator.GetBytes(16));

    /// <summary>Reads the settings; a missing file means off.</summary>
    /// <exception cref="TelemetrySettingsException">The file is unreadable, too large or not valid settings.</exception>
    public static TelemetrySettings Load(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return Off;
            }
            using var stream = File.OpenRead(path);
            if (stream.Length > MaxFileBytes)
            {
                throw new TelemetrySettingsException($"{path}: larger than {MaxFileBytes} bytes");
            }
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TelemetrySettingsException($"{path}: {e.Message}");
        }
        TelemetrySettings settings;
        try
        {
            settings = TelemetrySettingsJson.Read(bytes);
        }
        catch (JsonException e)
        {
            throw new TelemetrySettingsException($"{path}: not valid telemetry settings ({e.Message})");
        }
        if (settings.TimeoutMs is < 1 or > MaxTimeoutMs)
        {
            throw new TelemetrySettingsException($"{path}: timeout_ms must be between 1 and {MaxTimeoutMs}");
        }
        return settings;
    }

    /// <summary>Reads the settings for sending: any problem with the file means off, silently, so a command never fails for telemetry.</summary>
    public static TelemetrySettings LoadOrOff(string path)
    {
        try
        {
            return Load(path);
        }
        catch (TelemetrySettingsException)
        {
            return Off;
        }
    }

    /// <summary>Writes the settings atomically, mode 0600 in a 0700 directory created when missing.</summary>
    /// <exception cref="TelemetrySettingsException">The file cannot be written.</exception>
    public void Save(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                TelemetrySettingsJson.Write(stream, this);
            }
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TelemetrySettingsException($"cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Checks a diagnostic server URL: absolute http or https, no user name or password in it.</summary>
    public static bool TryParseUrl(string? text, out Uri? url, out string error)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            error = "not an absolute URL";
            return false;
        }
        if (parsed.Scheme is not ("http" or "https"))
        {
            error = "the scheme must be http or https";
            return false;
        }
        if (parsed.UserInfo.Length > 0)
        {
            // Credentials in the URL would end up in a settings file and in logs.
            error = "the URL must not carry a user name or password";
            return false;
        }
        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            error = "the URL must not have a query or fragment";
            return false;
        }
        url = parsed;
        error = "";
        return true;
    }

    /// <summary>The endpoint batches go to: the base URL's /v1/telemetry.</summary>
    public Uri EndpointUrl()
    {
        if (!TryParseUrl(Url, out var url, out var error))
        {
            throw new TelemetrySettingsException($"telemetry URL: {error}");
        }
        var text = url!.AbsoluteUri.TrimEnd('/');
        return new Uri(text + "/v1/telemetry");
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The telemetry settings file cannot be used; the message names the file and the problem.</summary>
public sealed class TelemetrySettingsException(string message) : Exception(message);
