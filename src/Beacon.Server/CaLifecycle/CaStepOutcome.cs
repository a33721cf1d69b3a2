using Beacon.Server.Storage;

namespace Beacon.Server.CaLifecycle;

/// <summary>
/// The outcome of a CA lifecycle step: done (with the key it concerned and the bundle version it
/// that carries it) or refused with the reason; <see cref="BundleError"/> says why a
/// step that was done could not publish its bundle (it is published at the next trigger).
/// </summary>
public sealed record CaStepOutcome(bool Done, string Message, CaKeyRecord? Key = null, TrustBundleRecord? Bundle = null, string? BundleError = null)
{
    public static CaStepOutcome Refused(string message) => new(false, message);
}
