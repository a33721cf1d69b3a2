using Beacon.Testing;

namespace Beacon.Server.Tests.Commands;

/// <summary>One offline CA per key type, made once through `ca init` and shared by a test class.</summary>
public sealed class CaDirectories : IDisposable
{
    private readonly TempDirectory _root = new("beacon-ca-");
    private readonly Dictionary<string, string> _made = [];

    public CaDirectories()
    {
        PasswordFile = _root.WritePrivate("password", "correct horse battery staple\n");
        WrongPasswordFile = _root.WritePrivate("wrong-password", "Tr0ub4dor&3\n");
    }

    public string PasswordFile { get; }

    public string WrongPasswordFile { get; }

    /// <summary>The CA directory for ed25519, ecdsa or rsa, created on first use.</summary>
    public string For(string type)
    {
        lock (_made)
        {
            if (!_made.TryGetValue(type, out var path))
            {
                path = Path.Combine(_root.Path, type);
                var result = ServerCliRun.InProcess("ca", "init", "--dir", path, "--password-file", PasswordFile, "--type", type);
                Assert.True(result.ExitCode == 0, result.ToString());
                _made[type] = path;
            }
            return path;
        }
    }

    public void Dispose() => _root.Dispose();
}
