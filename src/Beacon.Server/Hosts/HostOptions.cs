using Beacon.Server.Policy;
using Beacon.Server.Signing;

namespace Beacon.Server.Hosts;

/// <summary>Host certificate settings that are not policy, section "Beacon:Hosts".</summary>
public sealed class HostOptions
{
    public const string Section = "Beacon:Hosts";

    /// <summary>How long a single renewal challenge may be answered (the contract's 60 seconds).</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>The longest lifetime any Hosts rule may give a host certificate; 30 days unless configured.</summary>
    public string MaxCertificateTtl { get; set; } = "30d";

    /// <summary>The parsed <see cref="MaxCertificateTtl"/>.</summary>
    /// <exception cref="FormatException">Not a duration up to a year.</exception>
    public TimeSpan MaxCertificateLifetime => DurationText.Parse(MaxCertificateTtl, PolicyEvaluator.MaxPolicyTtl);
}
