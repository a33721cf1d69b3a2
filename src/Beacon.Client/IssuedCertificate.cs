using Beacon.Ssh.Certificates;

namespace Beacon.Client;

/// <summary>A certificate the server issued, parsed and checked to certify the requested key.</summary>
public sealed record IssuedCertificate(SshCertificate Certificate, string Serial, string KeyId, DateTimeOffset ValidAfter, DateTimeOffset ValidBefore, IReadOnlyList<string> Principals);

/// <summary>Who the server says the token's holder is.</summary>
public sealed record BeaconIdentity(string Provider, string Subject, string Username, string? Email, IReadOnlyList<string> Groups, long PolicyVersion);
