using Beacon.Server.Hosting;
using Beacon.Server.Policy;
using Beacon.Server.Storage;
using Beacon.Server.Signing;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Hosts;

/// <summary>Registers host enrollment and renewal; the Hosts rules and Beacon:Hosts are checked when the server starts.</summary>
public static class HostServices
{
    public static IServiceCollection AddBeaconHosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HostOptions>().Bind(configuration.GetSection(HostOptions.Section))
            .Validate(o => DurationText.TryParse(o.MaxCertificateTtl, PolicyEvaluator.MaxPolicyTtl, out _),
                "Beacon:Hosts:MaxCertificateTtl must be a duration up to 366d, like 30d")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BeaconServerOptions>, HostRulesValidation>();
        services.AddSingleton(sp => sp.GetRequiredService<IBeaconStore>() as IHostStore
            ?? throw new InvalidOperationException("the configured store does not keep hosts"));
        services.AddSingleton<HostCertificateIssuer>();
        return services;
    }

    /// <summary>Fails the start with one message per broken Hosts rule.</summary>
    private sealed class HostRulesValidation(IOptions<HostOptions> hosts) : IValidateOptions<BeaconServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, BeaconServerOptions options)
        {
            if (!DurationText.TryParse(hosts.Value.MaxCertificateTtl, PolicyEvaluator.MaxPolicyTtl, out var max))
            {
                return ValidateOptionsResult.Skip; // reported by HostOptions' own validation
            }
            var errors = HostRuleValidator.Validate(options.Policy, max);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
