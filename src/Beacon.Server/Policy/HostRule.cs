namespace Beacon.Server.Policy;

/// <summary>
/// One Hosts rule: hosts enrolled for <see cref="Group"/> may carry names matching <see cref="Names"/>
/// in their host certificates, for at most <see cref="MaxTtl"/>.
/// </summary>
public sealed class HostRule
{
    /// <summary>The host group an enrollment token grants.</summary>
    public string Group { get; set; } = "";

    /// <summary>Globs (* and ?) a host name must match, e.g. *.prod.example.com.</summary>
    public List<string> Names { get; set; } = [];

    /// <summary>The certificate lifetime, at most Beacon:Hosts:MaxCertificateTtl (30 days by default).</summary>
    public string MaxTtl { get; set; } = "720h";
}
