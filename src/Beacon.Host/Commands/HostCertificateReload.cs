using Beacon.Host.Files;
using Beacon.Host.Sshd;

namespace Beacon.Host.Commands;

/// <summary>sshd reads HostCertificate files at start only: after a new certificate, check the configuration and reload sshd.</summary>
internal static class HostCertificateReload
{
    /// <exception cref="HostException">sshd -t or the reload failed (the certificate files are written).</exception>
    public static void Run(HostPaths paths, HostConfig config, Action<string> report)
    {
        var sshd = new SshdControl(config);
        if ((sshd.Validate() ?? sshd.Reload()) is { } failed)
        {
            throw new HostException($"certificates written, but sshd was not reloaded: {failed}");
        }
        report(File.Exists(paths.DropInFile)
            ? "sshd reloaded"
            : $"sshd reloaded; run beacon-host install so its drop-in names the certificates (HostCertificate)");
    }
}
