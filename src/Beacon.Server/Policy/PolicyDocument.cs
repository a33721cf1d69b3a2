namespace Beacon.Server.Policy;

/// <summary>
/// The policy document: a list of grants, default deny. Bound from configuration (PascalCase keys) and
/// stored in the database as JSON, one version per change.
/// </summary>
public sealed class PolicyDocument
{
    public List<PolicyRule> Policies { get; set; } = [];

    /// <summary>Which host names each host group may enroll (host certificates); default deny.</summary>
    public List<HostRule> Hosts { get; set; } = [];
}

/// <summary>One grant: who (subjects) may ask for what.</summary>
public sealed class PolicyRule
{
    public string Name { get; set; } = "";

    /// <summary>Who the grant applies to; an identity matching any entry is covered.</summary>
    public List<PolicySubject> Subjects { get; set; } = [];

    /// <summary>Accounts a certificate may name. "{username}" stands for the caller's username.</summary>
    public List<string> Principals { get; set; } = [];

    /// <summary>Granted when the request names none; defaults to the allowed principals without wildcards.</summary>
    public List<string> DefaultPrincipals { get; set; } = [];

    /// <summary>Host groups a certificate may be scoped to; empty means no group scoping is allowed.</summary>
    public List<string> HostGroups { get; set; } = [];

    /// <summary>Whether a certificate not scoped to a host group may be issued.</summary>
    public bool AllowUngrouped { get; set; } = true;

    public string DefaultTtl { get; set; } = "15m";

    public string MaxTtl { get; set; } = "30m";

    /// <summary>Extensions a request may ask for.</summary>
    public List<string> Extensions { get; set; } = ["permit-pty", "permit-port-forwarding", "permit-agent-forwarding", "permit-X11-forwarding", "permit-user-rc"];

    /// <summary>Extensions granted when the request names none.</summary>
    public List<string> DefaultExtensions { get; set; } = ["permit-pty"];

    /// <summary>Critical options a request may set, each with the globs its value must match.</summary>
    public Dictionary<string, List<string>> CriticalOptions { get; set; } = [];

    /// <summary>Critical options always set (e.g. a source-address for CI).</summary>
    public Dictionary<string, string> ForcedCriticalOptions { get; set; } = [];

    /// <summary>Addresses a request may come from (CIDR); empty means any.</summary>
    public List<string> SourceCidrs { get; set; } = [];

    /// <summary>Accepted subject key types and their minimum sizes in bits.</summary>
    public Dictionary<string, int> KeyTypes { get; set; } = new()
    {
        ["ssh-ed25519"] = 256,
        ["ecdsa-sha2-nistp256"] = 256,
        ["ecdsa-sha2-nistp384"] = 384,
        ["ecdsa-sha2-nistp521"] = 521,
        ["ssh-rsa"] = 2048,
    };
}

/// <summary>A subject: a provider and any of users, groups, or claim globs (all given parts must match).</summary>
public sealed class PolicySubject
{
    /// <summary>The provider's configured name; required.</summary>
    public string Provider { get; set; } = "";

    /// <summary>Usernames (globs); empty means any user of the provider.</summary>
    public List<string> Users { get; set; } = [];

    /// <summary>Groups (globs): OIDC groups, GitHub "org" or "org/team"; the identity needs one of them.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>Claims that must match globs (all of them), for CI tokens: repository, ref, workflow, environment.</summary>
    public Dictionary<string, string> Claims { get; set; } = [];
}
