using Beacon.Ssh.Certificates;

namespace Beacon.Client;

/// <summary>The answer to a host enrollment or renewal: the host's id, its groups and its new certificates.</summary>
public sealed record HostEnrollment(string HostId, IReadOnlyList<string> Groups, IReadOnlyList<IssuedHostCertificate> Certificates);

/// <summary>A host certificate the server issued, parsed and checked to certify the key that was sent.</summary>
public sealed record IssuedHostCertificate(SshCertificate Certificate, DateTimeOffset ValidAfter, DateTimeOffset ValidBefore);

/// <summary>A renewal challenge: sign <see cref="Challenge"/> (the raw bytes) with the certificate's key before <see cref="ExpiresAt"/>.</summary>
public sealed record HostRenewalChallenge(byte[] Challenge, DateTimeOffset ExpiresAt);
