using Beacon.Cli.Settings;
using Beacon.Ssh;
using Beacon.Ssh.Certificates;

namespace Beacon.Cli.Certificates;

/// <summary>The user certificate beside the key (CONFIG/id_ed25519-cert.pub), as the last login or renewal stored it.</summary>
internal static class StoredCertificate
{
    /// <summary>A certificate with less than this left is renewed before ssh runs, so a session does not start on one about to lapse.</summary>
    public static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(1);

    /// <summary>The stored certificate, or null when there is none or it cannot be read.</summary>
    public static SshCertificate? Load(BeaconPaths paths)
    {
        var text = PrivateFiles.ReadIfExists(paths.CertificateFile);
        if (text is null)
        {
            return null;
        }
        try
        {
            return SshCertificateParser.ParseLine(text.Trim());
        }
        catch (SshFormatException)
        {
            return null;
        }
    }

    public static void Save(BeaconPaths paths, SshCertificate certificate) =>
        PrivateFiles.WriteAtomically(paths.CertificateFile, certificate.ToOpenSshString() + "\n", PrivateFiles.Public);

    /// <summary>Whether it is in force now and for at least <see cref="RenewalMargin"/> more.</summary>
    public static bool IsFresh(SshCertificate certificate, DateTimeOffset now) =>
        certificate.ValidAfterTime <= now && certificate.ValidBeforeTime - now > RenewalMargin;

    /// <summary>The username from a BeaconSSH key id (beacon:PROVIDER:USER:REQUEST), or the key id itself.</summary>
    public static (string? Provider, string Identity) Identity(SshCertificate certificate)
    {
        var parts = certificate.KeyId.Split(':');
        return parts.Length >= 4 && parts[0] == "beacon" ? (parts[1], string.Join(':', parts[2..^1])) : (null, certificate.KeyId);
    }
}
