using System.CommandLine;
using Beacon.Server.Commands.Audit;
using Beacon.Server.Commands.Certs;
using Beacon.Server.Commands.Init;
using Beacon.Server.Commands.Policies;
using Beacon.Server.Commands.Run;
using Beacon.Server.Commands.Token;
using Beacon.Server.Commands.Users;

namespace Beacon.Server.Commands;

/// <summary>The beacon-server command tree.</summary>
public static class ServerCli
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("BeaconSSH certificate server: CA, policy, audit and trust publication");
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        var token = new Command("token", "One-time tokens for the token provider");
        token.Subcommands.Add(TokenCreateCommand.Create());
        root.Subcommands.Add(token);
        var audit = new Command("audit", "The audit log");
        audit.Subcommands.Add(AuditVerifyCommand.Create());
        root.Subcommands.Add(audit);
        root.Subcommands.Add(UserCommands.Create());
        root.Subcommands.Add(CertCommands.Create());
        root.Subcommands.Add(PolicyCommands.Create());
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null) =>
        CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error });
}
