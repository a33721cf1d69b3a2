using Beacon.Cli.Agent;
using Beacon.Cli.Certificates;
using Beacon.Cli.Settings;
using Beacon.Ssh.Certificates;

namespace Beacon.Cli.Commands.Status;

/// <summary>What `beacon status` shows, gathered from local files and the agent only (no network).</summary>
internal sealed record StatusReport
{
    public string ConfigDirectory { get; init; } = "";

    public string? Server { get; init; }

    public string? Fingerprint { get; init; }

    public string? Provider { get; init; }

    public string? Identity { get; init; }

    public bool LoggedIn { get; init; }

    /// <summary>When the stored login token expires, when its provider said.</summary>
    public DateTimeOffset? LoginExpiresAt { get; init; }

    public CertificateStatus? Certificate { get; init; }

    public AgentStatus Agent { get; init; } = new("absent", null, []);

    public static async Task<StatusReport> GatherAsync(CliConsole console, CancellationToken cancellationToken)
    {
        var paths = BeaconPaths.From(console);
        var config = CliConfig.TryLoad(paths);
        var token = TokenStore.Load(paths);
        var certificate = StoredCertificate.Load(paths);
        var now = console.Clock.GetUtcNow();
        var (certificateProvider, identity) = certificate is null ? (null, null) : StoredCertificate.Identity(certificate);
        return new StatusReport
        {
            ConfigDirectory = paths.Directory,
            Server = config?.Server,
            Fingerprint = config?.Fingerprint,
            Provider = token?.Provider ?? certificateProvider ?? config?.Provider,
            Identity = identity,
            LoggedIn = token is not null,
            LoginExpiresAt = token?.ExpiresAt,
            Certificate = certificate is null ? null : CertificateStatus.Of(paths.CertificateFile, certificate, now),
            Agent = await AgentStatus.GatherAsync(console, certificate, cancellationToken),
        };
    }
}

internal sealed record CertificateStatus(string File, string KeyId, string Serial, IReadOnlyList<string> Principals, DateTimeOffset ValidAfter,
    DateTimeOffset ValidBefore, long SecondsLeft, bool Valid)
{
    public static CertificateStatus Of(string file, SshCertificate certificate, DateTimeOffset now)
    {
        var left = (long)Math.Floor((certificate.ValidBeforeTime - now).TotalSeconds);
        return new CertificateStatus(file, certificate.KeyId, certificate.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture),
            certificate.Principals, certificate.ValidAfterTime, certificate.ValidBeforeTime, Math.Max(0, left),
            certificate.ValidAfterTime <= now && left > 0);
    }
}

/// <summary>The agent: "absent" (no SSH_AUTH_SOCK), "unreachable", or "running" with what it holds.</summary>
internal sealed record AgentStatus(string State, bool? HoldsCertificate, IReadOnlyList<AgentEntry> Entries)
{
    public static async Task<AgentStatus> GatherAsync(CliConsole console, SshCertificate? certificate, CancellationToken cancellationToken)
    {
        if (AgentSession.FromEnvironment(console) is not { } agent)
        {
            return new AgentStatus("absent", null, []);
        }
        try
        {
            var identities = await agent.ListAsync(cancellationToken);
            var entries = identities.Select(i => new AgentEntry(
                i.Certificate is not null ? "certificate" : "key",
                i.Fingerprint,
                i.Certificate?.KeyId ?? i.Comment,
                AgentSession.IsBeacon(i),
                i.Certificate?.ValidBeforeTime)).ToList();
            return new AgentStatus("running", certificate is null ? null : identities.Any(i => i.Certificate?.Equals(certificate) == true), entries);
        }
        catch (CliException)
        {
            return new AgentStatus("unreachable", null, []);
        }
    }
}

internal sealed record AgentEntry(string Kind, string Fingerprint, string Name, bool Beacon, DateTimeOffset? ValidBefore);
