using System.Text;
using Beacon.Cli.Settings;

namespace Beacon.Cli.Keys;

/// <summary>
/// The passphrase that encrypts the user's key at rest. From a file (--passphrase-file or
/// BEACON_KEY_PASSPHRASE_FILE), BEACON_KEY_PASSPHRASE, or a prompt at the terminal (no echo). Never printed.
/// </summary>
internal static class Passphrase
{
    public const string Variable = "BEACON_KEY_PASSPHRASE";

    public const string FileVariable = "BEACON_KEY_PASSPHRASE_FILE";

    /// <summary>Sanity bound, not OpenSSH's: a passphrase longer than this is a mistake (a binary file).</summary>
    private const int MaxLength = 1024;

    /// <exception cref="CliException">No source is available, the file is unreadable, or the passphrase is empty.</exception>
    public static string Get(CliConsole console, string? file, bool confirm)
    {
        file ??= console.Variable(FileVariable);
        string? passphrase;
        if (file is not null)
        {
            var text = PrivateFiles.ReadIfExists(file) ?? throw new CliException($"passphrase file {file}: no such file");
            passphrase = text.Split('\n')[0].TrimEnd('\r');
        }
        else if (console.Environment(Variable) is { } fromEnvironment)
        {
            passphrase = fromEnvironment;
        }
        else if (console.IsInteractive)
        {
            passphrase = Prompt(console, "Passphrase for your BeaconSSH key: ");
            if (confirm && Prompt(console, "Same passphrase again: ") != passphrase)
            {
                throw new CliException("the passphrases do not match");
            }
        }
        else
        {
            throw new CliException($"your key needs a passphrase and there is no terminal to ask: set {Variable} or {FileVariable}, or give --passphrase-file");
        }
        if (passphrase.Length == 0)
        {
            // The private key is always encrypted at rest: an empty passphrase would store it in the clear.
            throw new CliException("an empty passphrase would leave your key unencrypted; choose one");
        }
        if (passphrase.Length > MaxLength || passphrase.Contains('\n'))
        {
            throw new CliException($"the passphrase must be one line of at most {MaxLength} characters");
        }
        return passphrase;
    }

    private static string Prompt(CliConsole console, string prompt)
    {
        console.Out.Write(prompt);
        console.Out.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar) && text.Length <= MaxLength)
            {
                text.Append(key.KeyChar);
            }
        }
        console.Out.WriteLine();
        return text.ToString();
    }
}
