using Xunit;

namespace Beacon.Testing;

/// <summary>
/// A fact that needs OpenSSH's tools (ssh, ssh-keygen, ssh-agent, ssh-add, sshd). Without them it is
/// skipped with the reason on a developer's machine, but under CI=true it runs and fails: CI must
/// never report green for a real-peer test that did not run.
/// </summary>
public sealed class RequiresOpenSshFactAttribute : FactAttribute
{
    public RequiresOpenSshFactAttribute()
    {
        if (OpenSsh.MissingTools() is { } missing && !OpenSsh.IsCi)
        {
            Skip = $"OpenSSH tools missing ({missing}); run scripts/test, which installs them";
        }
    }
}

/// <summary>The theory counterpart of <see cref="RequiresOpenSshFactAttribute"/>.</summary>
public sealed class RequiresOpenSshTheoryAttribute : TheoryAttribute
{
    public RequiresOpenSshTheoryAttribute()
    {
        if (OpenSsh.MissingTools() is { } missing && !OpenSsh.IsCi)
        {
            Skip = $"OpenSSH tools missing ({missing}); run scripts/test, which installs them";
        }
    }
}
