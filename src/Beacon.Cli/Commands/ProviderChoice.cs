using Beacon.Client;

namespace Beacon.Cli.Commands;

/// <summary>Which of the server's identity providers a command uses.</summary>
internal static class ProviderChoice
{
    /// <exception cref="CliException">The named provider does not exist, or none fits.</exception>
    public static LoginProviderInfo Pick(IReadOnlyList<LoginProviderInfo> providers, string? requested, string? preferred, Func<LoginProviderInfo, bool> fits, string purpose)
    {
        var names = string.Join(", ", providers.Select(p => $"{p.Name} ({p.Type})"));
        if (requested is not null)
        {
            return providers.FirstOrDefault(p => p.Name == requested)
                ?? throw new CliException($"the server has no identity provider \"{requested}\" (it has: {names})");
        }
        if (preferred is not null && providers.FirstOrDefault(p => p.Name == preferred && fits(p)) is { } chosen)
        {
            return chosen;
        }
        var fitting = providers.Where(fits).ToList();
        return fitting.Count switch
        {
            1 => fitting[0],
            0 => throw new CliException($"the server has no identity provider for {purpose} (it has: {(names.Length == 0 ? "none" : names)})"),
            _ => throw new CliException($"the server has several identity providers for {purpose}; choose one with --provider ({string.Join(", ", fitting.Select(p => p.Name))})"),
        };
    }
}
