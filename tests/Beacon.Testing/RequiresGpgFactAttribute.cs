using Xunit;

namespace Beacon.Testing;

/// <summary>
/// A fact that needs GnuPG (gpg, gpgconf). Without it it is skipped with the reason on a developer's
/// machine, but under CI=true it runs and fails: CI must never report green for a real-peer test that did not run.
/// </summary>
public sealed class RequiresGpgFactAttribute : FactAttribute
{
    public RequiresGpgFactAttribute()
    {
        if (GpgHome.MissingTools() is { } missing && !OpenSsh.IsCi)
        {
            Skip = $"GnuPG missing ({missing}); apt-get install gnupg";
        }
    }
}

/// <summary>The theory counterpart of <see cref="RequiresGpgFactAttribute"/>.</summary>
public sealed class RequiresGpgTheoryAttribute : TheoryAttribute
{
    public RequiresGpgTheoryAttribute()
    {
        if (GpgHome.MissingTools() is { } missing && !OpenSsh.IsCi)
        {
            Skip = $"GnuPG missing ({missing}); apt-get install gnupg";
        }
    }
}
