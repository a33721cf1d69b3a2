using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Cli.Certificates;
using Beacon.CommandLine;

namespace Beacon.Cli.Commands.Status;

/// <summary>beacon status: who you are, how long the certificate has left, what the agent holds. Offline: files and the agent only.</summary>
internal static class StatusCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new IsoTimeConverter() },
    };

    public static Command Create(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (snake_case names, times in ISO 8601 UTC, serial as a string)." };
        var command = new Command("status",
            "Show the pinned server, your identity, the certificate's principals and time left, and what ssh-agent holds. " +
            "Reads local files and the agent only; never the network. Exit 0 when a valid certificate is stored, 1 otherwise.")
        {
            json,
        };
        CommandAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var report = await StatusReport.GatherAsync(console, cancellationToken);
            console.Out.Write(parse.GetValue(json) ? JsonSerializer.Serialize(report, Json) + "\n" : Text(report));
            return report.Certificate?.Valid == true ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static string Text(StatusReport report)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"server:       {(report.Server is null ? "not initialised (beacon init)" : $"{report.Server} (pinned {report.Fingerprint![..16]}…)")}");
        text.AppendLine($"identity:     {(report.Identity is null ? "unknown" : report.Identity)}{(report.Provider is null ? "" : $" via {report.Provider}")}");
        var login = !report.LoggedIn ? "none (beacon login)"
            : report.LoginExpiresAt is { } expires ? $"token stored, expires {TimeText.Iso(expires)} (renews the certificate until then)"
            : "token stored (renews the certificate)";
        text.AppendLine($"login:        {login}");
        if (report.Certificate is { } certificate)
        {
            var state = certificate.Valid
                ? $"valid until {TimeText.Iso(certificate.ValidBefore)} ({TimeText.Duration(TimeSpan.FromSeconds(certificate.SecondsLeft))} left)"
                : certificate.SecondsLeft == 0 ? $"EXPIRED at {TimeText.Iso(certificate.ValidBefore)}" : $"not yet valid (from {TimeText.Iso(certificate.ValidAfter)})";
            text.AppendLine($"certificate:  {state}");
            text.AppendLine($"  principals: {string.Join(",", certificate.Principals)}");
            text.AppendLine($"  key id:     {certificate.KeyId} (serial {certificate.Serial})");
            text.AppendLine($"  file:       {certificate.File}");
        }
        else
        {
            text.AppendLine("certificate:  none (beacon login)");
        }
        var holds = report.Agent.HoldsCertificate switch { true => ", holds this certificate", false => ", does NOT hold this certificate", _ => "" };
        text.AppendLine($"agent:        {report.Agent.State}{holds}");
        foreach (var entry in report.Agent.Entries)
        {
            var expiry = entry.ValidBefore is { } before ? $" until {TimeText.Iso(before)}" : "";
            text.AppendLine($"  {(entry.Beacon ? "beacon " : "")}{entry.Kind} {entry.Fingerprint} {entry.Name}{expiry}");
        }
        return text.ToString();
    }

    private sealed class IsoTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(TimeText.Iso(value));
    }
}
