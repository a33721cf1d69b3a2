using Beacon.Ssh.Certificates;

namespace Beacon.Server.Hosts;

/// <summary>A value, or a refusal with its HTTP status, title and a detail saying what was refused and why.</summary>
public sealed record HostResult<T>(T? Value, int Status, string? Title, string? Detail) where T : class
{
    public static HostResult<T> Ok(T value) => new(value, 200, null, null);

    public static HostResult<T> Refused(int status, string title, string detail) => new(null, status, title, detail);
}

/// <summary>The host and the certificates just issued to it.</summary>
public sealed record HostIssuance(string HostId, IReadOnlyList<string> Groups, IReadOnlyList<SshCertificate> Certificates);

/// <summary>A renewal challenge: the raw bytes to sign and until when they may be answered.</summary>
public sealed record HostChallenge(byte[] Challenge, DateTimeOffset ExpiresAt);
