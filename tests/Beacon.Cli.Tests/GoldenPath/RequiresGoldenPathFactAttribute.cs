using Beacon.Testing;

namespace Beacon.Cli.Tests.GoldenPath;

/// <summary>A fact that needs OpenSSH and Node.js (the test OpenID provider): skipped locally without them with the reason, failed under CI=true.</summary>
public sealed class RequiresGoldenPathFactAttribute : FactAttribute
{
    public RequiresGoldenPathFactAttribute()
    {
        var missing = string.Join(", ", new[] { OpenSsh.MissingTools(), OidcProviderServer.MissingTools() }.Where(m => m is not null));
        if (missing.Length > 0 && !OpenSsh.IsCi)
        {
            Skip = $"missing {missing}; run scripts/test, which installs them";
        }
    }
}
