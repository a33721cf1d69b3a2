namespace Beacon.Testing;

/// <summary>One real beacon-server process shared by a test class (IClassFixture).</summary>
public sealed class ServerProcessFixture : IDisposable
{
    public ServerProcess Process { get; } = ServerProcess.Start();

    public void Dispose() => Process.Dispose();
}
