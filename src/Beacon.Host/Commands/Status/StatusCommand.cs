using System.CommandLine;
using System.Text.Json;
using Beacon.CommandLine;
using Beacon.Host.Files;

namespace Beacon.Host.Commands.Status;

/// <summary>beacon-host status [--json]: configuration, pinned key, installed versions, last sync, host certificates.</summary>
internal static class StatusCommand
{
    public static Command Create(HostConsole console)
    {
        var root = HostOptions.Root();
        var json = new Option<bool>("--json") { Description = "Print one JSON object (snake_case names) instead of text" };
        var command = new Command("status", "Show the pinned server and bundle key, the installed bundle and KRL versions, the last sync and its outcome, the host certificates and the groups")
        {
            root, json,
        };
        command.SetHostAction((parse, _) =>
        {
            var status = HostStatus.Gather(HostOptions.Paths(parse, root), console.Clock.GetUtcNow());
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(status, HostJson.Options));
                return Task.FromResult(ExitCodes.Ok);
            }
            var o = console.Out;
            o.WriteLine($"server:           {status.Server}");
            o.WriteLine($"TLS fingerprint:  {status.TlsFingerprint}");
            o.WriteLine($"bundle key:       {status.BundleKeyFingerprint ?? status.BundleKeyError}");
            o.WriteLine($"groups:           {(status.Groups.Count == 0 ? "(none)" : string.Join(',', status.Groups))}");
            o.WriteLine($"names:            {(status.Names.Count == 0 ? "(the host name)" : string.Join(',', status.Names))}");
            o.WriteLine($"host id:          {status.HostId ?? "(not enrolled)"}");
            o.WriteLine($"bundle version:   {status.BundleVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none installed)"}");
            o.WriteLine($"KRL version:      {status.KrlVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none installed)"}");
            o.WriteLine($"last sync:        {Time(status.LastSync)} {status.LastOutcome}");
            o.WriteLine($"last success:     {Time(status.LastSuccess)}");
            o.WriteLine($"sshd drop-in:     {(status.DropInInstalled ? "installed" : "not installed (run beacon-host install)")}");
            foreach (var c in status.Certificates)
            {
                o.WriteLine(c.Error is not null
                    ? $"certificate:      {c.File}: {c.Error}"
                    : $"certificate:      {c.File} serial {c.Serial} for {string.Join(',', c.Principals)}, valid until {Time(c.ValidBefore)} ({Renew.RenewCommand.Format(TimeSpan.FromSeconds(c.SecondsLeft))} left)");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
