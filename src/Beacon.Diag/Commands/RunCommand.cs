using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Diag.Hosting;

namespace Beacon.Diag.Commands;

/// <summary>`beacon-diag run --data-dir D [--urls URL]`: serves telemetry ingestion, alerts, /metrics and the status page.</summary>
internal static class RunCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8444";

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "The diagnostic server's own directory: diag.db (SQLite, unless Diag:Database:ConnectionString names PostgreSQL) and an optional diag.json. Created 0700 when missing.",
            Required = true,
        };
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {DefaultUrl}); HTTPS through the standard Kestrel configuration section." };
        var command = new Command("run", "Serve POST /v1/telemetry, /healthz, /metrics and the status page /, and evaluate the alert rules.") { dataDir, urls };
        command.SetAsyncAction(DiagCli.Name, async (parse, output, cancellationToken) =>
        {
            var url = parse.GetValue(urls) ?? DefaultUrl;
            WebApplication app;
            try
            {
                app = DiagHost.Build(parse.GetRequiredValue(dataDir), url);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException)
            {
                throw new UserFacingException($"cannot start: {e.Message}");
            }
            await app.StartAsync(cancellationToken);
            await output.WriteLineAsync($"beacon-diag listening on {url}");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
