using System.CommandLine;

namespace Beacon.Server.Commands.Ca;

/// <summary>Options every ca subcommand shares.</summary>
internal static class CaOptions
{
    public static Option<string> Directory() => new("--dir")
    {
        Description = "The CA directory: user_ca.pub, host_ca.pub and their encrypted private keys user_ca.key.enc, host_ca.key.enc.",
        Required = true,
        HelpName = "DIR",
    };

    public static Option<string> PasswordFile() => new("--password-file")
    {
        Description = "A file whose first line is the password protecting the CA private keys (must not be empty).",
        Required = true,
        HelpName = "FILE",
    };
}
