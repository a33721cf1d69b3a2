using Beacon.Host.Files;
using Beacon.Host.Sshd;

namespace Beacon.Host.Commands;

/// <summary>sshd reads HostCertificate files at start only: after a new certificate, check and reload it (once install has written the drop-in).</summary>
internal static class HostCertificateReload
{
    /// <exception cref="HostException">sshd -t or the reload failed (the certificate files are written).</exception>
    public static void Run(HostPaths paths, HostConfig config, Action<string> progress)
    {
        if (!File.Exists(paths.DropInFile))
        {
            progress($"{paths.DropInFile} not installed yet: run beacon-host install so sshd serves the certificates");
            return;
        }
        var sshd = new SshdControl(config);
        if ((sshd.Validate() ?? sshd.Reload()) is { } failed)
        {
            throw new HostException($"certificates written, but sshd was not reloaded: {failed}");
        }
        progress("sshd reloaded");
    }
}
