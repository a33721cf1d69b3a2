using System.CommandLine;
using Beacon.CommandLine;
using Beacon.Web.Hosting;

namespace Beacon.Web.Commands;

/// <summary>`beacon-web run --urls URL`: serves the portal until stopped.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080 (default: Kestrel's configuration, ASPNETCORE_URLS)" };
        var config = new Option<string?>("--config") { Description = "An extra JSON configuration file (on top of appsettings.json and BEACON_WEB_/Web__ environment variables)" };
        var command = new Command("run", "Serve the web portal; configuration section \"Web\" (server URL, TLS fingerprint, OIDC authority and client)") { urls, config };
        command.SetAsyncAction(BeaconWebCli.ProgramName, async (parse, output, cancellationToken) =>
        {
            var app = WebHost.Build(parse.GetValue(urls), parse.GetValue(config));
            await app.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
