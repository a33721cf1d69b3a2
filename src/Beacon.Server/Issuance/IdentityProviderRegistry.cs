using Beacon.Server.Identity;

namespace Beacon.Server.Issuance;

/// <summary>The configured providers, and which one a token goes to.</summary>
public sealed class IdentityProviderRegistry(IEnumerable<IIdentityProvider> providers)
{
    private readonly List<IIdentityProvider> _providers = providers.ToList();

    public IReadOnlyList<IIdentityProvider> All => _providers;

    /// <summary>The named provider, or the first whose token shape fits; null when none does.</summary>
    public IIdentityProvider? Select(string token, string? name) =>
        name is not null
            ? _providers.FirstOrDefault(p => p.Name == name)
            : _providers.FirstOrDefault(p => p.Claims(token));
}
