using Beacon.Cli.Processes;

namespace Beacon.Cli.Login;

/// <summary>Opens the verification page with xdg-open, only where there is a display to show it on.</summary>
internal static class Browser
{
    public static bool TryOpen(string url, CliConsole console)
    {
        if (console.Variable("DISPLAY") is null && console.Variable("WAYLAND_DISPLAY") is null)
        {
            return false;
        }
        if (ChildProcess.Find("xdg-open", console.Variable("PATH")) is not { } opener)
        {
            return false;
        }
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(opener, [url])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
