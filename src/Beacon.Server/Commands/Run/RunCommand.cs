using Beacon.Server.Cli;
using System.CommandLine;
using Beacon.Server.Commands.Init;
using Beacon.Server.Hosting;
using Beacon.Server.Signing;

namespace Beacon.Server.Commands.Run;

/// <summary>`beacon-server run`: serves the API over HTTPS with the data directory's keys and configuration.</summary>
public static class RunCommand
{
    public const string DefaultUrl = "https://127.0.0.1:8443";

    public static Command Create()
    {
        var dataDir = CommandRunner.DataDirOption();
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {DefaultUrl})" };
        var dev = new Option<bool>("--dev") { Description = "Initialise an empty data directory first and print how to get a first certificate" };
        var command = new Command("run", "Serve the certificate API over HTTPS") { dataDir, urls, dev };
        command.SetAsyncAction(async (parse, output, cancellationToken) =>
        {
            var data = new DataDirectory(parse.GetValue(dataDir)!);
            var url = parse.GetValue(urls) ?? DefaultUrl;
            if (parse.GetValue(dev) && !data.IsInitialised)
            {
                await output.WriteLineAsync($"dev mode: initialising {data.Root}");
                await InitCommand.RunAsync(data, null, [], cancellationToken);
            }
            if (!data.IsInitialised)
            {
                throw new CommandException($"{data.Root} is not initialised (run beacon-server init --data-dir {data.Root}, or add --dev)");
            }
            var app = ServerHost.Build(data, url, []);
            await app.StartAsync(cancellationToken);
            if (parse.GetValue(dev))
            {
                await DevBanner.PrintAsync(output, data, url, cancellationToken);
            }
            else
            {
                await output.WriteLineAsync($"beacon-server listening on {url}");
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
