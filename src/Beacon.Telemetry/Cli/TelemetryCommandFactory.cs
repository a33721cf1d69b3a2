using System.CommandLine;
using System.Globalization;
using Beacon.CommandLine;

namespace Beacon.Telemetry.Cli;

/// <summary>
/// `PROGRAM telemetry on --url URL | off | status`, for any BeaconSSH CLI: beacon registers it with its
/// settings file, beacon-host with the path its configuration names.
/// </summary>
public static class TelemetryCommandFactory
{
    /// <param name="programName">The program, for messages ("beacon").</param>
    /// <param name="settingsPath">The settings file this program reads.</param>
    public static Command Create(string programName, string settingsPath, TextWriter output, TextWriter error)
    {
        var command = new Command("telemetry",
            $"Opt-in telemetry to a BeaconSSH diagnostic server (off by default): command names, durations and outcomes only. Settings: {settingsPath}")
        {
            On(programName, settingsPath, output, error),
            Off(programName, settingsPath, output, error),
            Status(programName, settingsPath, output, error),
        };
        return command;
    }

    private static Command On(string programName, string settingsPath, TextWriter output, TextWriter error)
    {
        var url = new Option<string>("--url")
        {
            Description = "The diagnostic server's base URL (http or https); batches go to URL/v1/telemetry.",
            Required = true,
        };
        var timeout = new Option<int?>("--timeout-ms")
        {
            Description = $"The most a command may wait for sending at its end (default {TelemetrySettings.DefaultTimeoutMs}, at most {TelemetrySettings.MaxTimeoutMs}).",
        };
        var command = new Command("on", "Send a record of each command (name, duration, outcome, error code; never arguments or output) to the diagnostic server.") { url, timeout };
        command.SetAction(parse => CommandLineRunner.Guard(programName, error, () =>
        {
            var text = parse.GetRequiredValue(url);
            if (!TelemetrySettings.TryParseUrl(text, out var parsed, out var problem))
            {
                throw new UserFacingException($"--url {text}: {problem}");
            }
            var timeoutMs = parse.GetValue(timeout) ?? TelemetrySettings.DefaultTimeoutMs;
            if (timeoutMs is < 1 or > TelemetrySettings.MaxTimeoutMs)
            {
                throw new UserFacingException($"--timeout-ms must be between 1 and {TelemetrySettings.MaxTimeoutMs}");
            }
            var current = LoadForChange(settingsPath);
            var settings = new TelemetrySettings
            {
                Enabled = true,
                Url = parsed!.AbsoluteUri,
                ClientId = current.ClientId is { } id && TelemetrySchema.ClientId().IsMatch(id) ? id : TelemetrySettings.NewClientId(),
                TimeoutMs = timeoutMs,
            };
            Save(settings, settingsPath);
            output.WriteLine($"telemetry on: {programName} sends command names, durations and outcomes to {settings.Url} (install id {settings.ClientId})");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Off(string programName, string settingsPath, TextWriter output, TextWriter error)
    {
        var command = new Command("off", "Stop sending telemetry (the URL and install id are kept for a later 'on').");
        command.SetAction(parse => CommandLineRunner.Guard(programName, error, () =>
        {
            var current = LoadForChange(settingsPath);
            if (File.Exists(settingsPath))
            {
                Save(current with { Enabled = false }, settingsPath);
            }
            output.WriteLine("telemetry off");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Status(string programName, string settingsPath, TextWriter output, TextWriter error)
    {
        var command = new Command("status", "Print whether telemetry is on, where it goes and the settings file.");
        command.SetAction(parse => CommandLineRunner.Guard(programName, error, () =>
        {
            TelemetrySettings settings;
            try
            {
                settings = TelemetrySettings.Load(settingsPath);
            }
            catch (TelemetrySettingsException e)
            {
                throw new UserFacingException($"{e.Message} (telemetry is off until it is fixed; 'telemetry on' rewrites it)");
            }
            output.WriteLine($"telemetry: {(settings.IsActive ? "on" : "off")}");
            output.WriteLine($"url: {settings.Url ?? "(none)"}");
            output.WriteLine($"install id: {settings.ClientId ?? "(none)"}");
            output.WriteLine($"timeout: {settings.TimeoutMs.ToString(CultureInfo.InvariantCulture)} ms");
            output.WriteLine($"settings: {settingsPath}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The current settings to change; a broken file is replaced rather than blocking on/off.</summary>
    private static TelemetrySettings LoadForChange(string path) => TelemetrySettings.LoadOrOff(path);

    private static void Save(TelemetrySettings settings, string path)
    {
        try
        {
            settings.Save(path);
        }
        catch (TelemetrySettingsException e)
        {
            throw new UserFacingException(e.Message);
        }
    }
}
