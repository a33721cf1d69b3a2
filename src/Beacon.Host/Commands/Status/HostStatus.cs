using Beacon.Host.Files;
using Beacon.Host.Trust;

namespace Beacon.Host.Commands.Status;

/// <summary>What `beacon-host status` reports, gathered once and printed as text or JSON.</summary>
internal sealed record HostStatus(
    string Root,
    string Server,
    string TlsFingerprint,
    string? BundleKeyFingerprint,
    string? BundleKeyError,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Names,
    string? HostId,
    long? BundleVersion,
    ulong? KrlVersion,
    DateTimeOffset? LastSync,
    string? LastOutcome,
    DateTimeOffset? LastSuccess,
    bool DropInInstalled,
    IReadOnlyList<HostCertificateStatus> Certificates)
{
    public static HostStatus Gather(HostPaths paths, DateTimeOffset now)
    {
        var config = HostConfig.Load(paths);
        var state = HostState.Load(paths);
        string? keyFingerprint = null, keyError = null;
        try
        {
            keyFingerprint = PinnedBundleKey.Load(paths).Key.Fingerprint;
        }
        catch (HostException e)
        {
            keyError = e.Message;
        }
        var certificates = new List<HostCertificateStatus>();
        foreach (var files in HostKeyFiles.Discover(paths))
        {
            try
            {
                if (files.ReadCertificate() is { } certificate)
                {
                    var left = certificate.ValidBeforeTime - now;
                    certificates.Add(new HostCertificateStatus(files.CertificateFile, certificate.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        certificate.Principals, certificate.ValidBeforeTime, (long)Math.Max(0, left.TotalSeconds), null));
                }
            }
            catch (HostException e)
            {
                certificates.Add(new HostCertificateStatus(files.CertificateFile, null, [], null, 0, e.Message));
            }
        }
        return new HostStatus(paths.Root, config.Server, config.TlsFingerprint, keyFingerprint, keyError, config.Groups, config.Names, config.HostId,
            state.BundleVersion, state.KrlVersion, state.LastSync, state.LastOutcome, state.LastSuccess, File.Exists(paths.DropInFile), certificates);
    }
}

/// <summary>One host certificate: where, which serial and names, and how long it has left.</summary>
internal sealed record HostCertificateStatus(string File, string? Serial, IReadOnlyList<string> Principals, DateTimeOffset? ValidBefore, long SecondsLeft, string? Error);
