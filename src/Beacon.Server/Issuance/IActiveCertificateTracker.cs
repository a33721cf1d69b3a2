using Beacon.Server.Storage;

namespace Beacon.Server.Issuance;

/// <summary>
/// Optional tracking of live certificates by fingerprint (Redis). Best effort by contract: a failure
/// is counted and logged, never fails an issuance.
/// </summary>
public interface IActiveCertificateTracker
{
    Task TrackAsync(CertificateRecord record, CancellationToken cancellationToken);
}

/// <summary>The tracker when Redis is not configured.</summary>
public sealed class NoActiveCertificateTracker : IActiveCertificateTracker
{
    public Task TrackAsync(CertificateRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
}
