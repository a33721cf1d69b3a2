using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Beacon.Telemetry;

/// <summary>
/// Events of commands that do not touch the network (beacon status, beacon ssh with a valid certificate,
/// inspect…), kept in a 0600 JSON-lines file beside the settings until the next command that talks to a
/// server anyway sends them: so these commands never open a socket for telemetry and cost what they cost
/// with telemetry off. At most one batch's worth is kept; more are dropped.
/// </summary>
public static class TelemetrySpool
{
    private const int MaxLineBytes = 1024;

    public static string PathFor(string settingsPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settingsPath)) ?? ".", "telemetry-spool.jsonl");

    /// <summary>Appends one event; never throws (telemetry must not fail a command).</summary>
    public static void Append(string spoolPath, TelemetryEvent e)
    {
        try
        {
            if (File.Exists(spoolPath) && new FileInfo(spoolPath).Length >= (long)MaxLineBytes * TelemetrySchema.MaxEventsPerBatch)
            {
                return;
            }
            // Formatted by hand, not with a JSON writer: its first use costs a short-lived process more than the
            // command. A line that does not
            // parse back, or whose names fail TelemetrySchema's patterns, is skipped by Take.
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{{\"command\":\"{e.Command}\",\"duration_ms\":{e.DurationMs},\"outcome\":\"{(e.Outcome == TelemetryOutcome.Ok ? "ok" : "error")}\"" +
                $"{(e.ErrorCode is null ? "" : $",\"error_code\":\"{e.ErrorCode}\"")}" +
                $"{(e.ServerLatencyMs is { } latency ? $",\"server_latency_ms\":{latency}" : "")}" +
                $",\"at\":\"{e.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"}}\n");
            var bytes = Encoding.UTF8.GetBytes(line);
            using var file = new FileStream(spoolPath, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            file.Write(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the event is dropped.
        }
    }

    /// <summary>Takes every spooled event (the file is moved away first, so two runs never send one twice); malformed lines are skipped.</summary>
    public static IReadOnlyList<TelemetryEvent> Take(string spoolPath)
    {
        var taken = spoolPath + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.Move(spoolPath, taken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        try
        {
            var events = new List<TelemetryEvent>();
            foreach (var line in File.ReadLines(taken, Encoding.UTF8).Take(TelemetrySchema.MaxEventsPerBatch))
            {
                if (line.Length <= MaxLineBytes && TryParse(line) is { } e)
                {
                    events.Add(e);
                }
            }
            return events;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        finally
        {
            try
            {
                File.Delete(taken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind; the next Take moves over it.
            }
        }
    }

    internal static TelemetryEvent? TryParse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 2 });
            var root = document.RootElement;
            var command = root.GetProperty("command").GetString() ?? "";
            var outcome = root.GetProperty("outcome").GetString() == "ok" ? TelemetryOutcome.Ok : TelemetryOutcome.Error;
            var errorCode = root.TryGetProperty("error_code", out var code) ? code.GetString() : null;
            long? latency = root.TryGetProperty("server_latency_ms", out var l) ? l.GetInt64() : null;
            var at = DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (!TelemetrySchema.Command().IsMatch(command) || (errorCode is not null && !TelemetrySchema.ErrorCode().IsMatch(errorCode)))
            {
                return null;
            }
            return new TelemetryEvent(command, Math.Clamp(root.GetProperty("duration_ms").GetInt64(), 0, 86_400_000), outcome,
                outcome == TelemetryOutcome.Error ? errorCode ?? "other" : null, latency is { } ms ? Math.Clamp(ms, 0, 600_000) : null, at);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
