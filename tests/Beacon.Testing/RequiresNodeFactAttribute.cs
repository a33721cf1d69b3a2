using Xunit;

namespace Beacon.Testing;

/// <summary>
/// A fact that needs Node.js and npm for the test OpenID provider (npm oidc-provider). Skipped with the
/// reason on a developer's machine without them; under CI=true it runs and fails.
/// </summary>
public sealed class RequiresNodeFactAttribute : FactAttribute
{
    public RequiresNodeFactAttribute()
    {
        if (OidcProviderServer.MissingTools() is { } missing && !OpenSsh.IsCi)
        {
            Skip = $"{missing} missing; run scripts/test, which installs it";
        }
    }
}
