namespace Beacon.Client;

/// <summary>
/// The answer to a conditional GET of a trust resource (the bundle, its signature, the KRL, its signature):
/// not modified since the ETag sent, or the bytes with their ETag and the version the server names.
/// Nothing here is verified yet: the caller checks the signature before trusting a byte of it.
/// </summary>
/// <param name="NotModified">The server answered 304 to the ETag sent: nothing to do.</param>
/// <param name="Content">The body (empty when not modified).</param>
/// <param name="ETag">The strong ETag to send next time, as the server wrote it (quotes included).</param>
/// <param name="Version">The Beacon-Bundle-Version or Beacon-Krl-Version header, when the server sent one.</param>
/// <param name="KrlVersion">The Beacon-Krl-Version header on any answer, 304 included: the bundle's answer names the current KRL.</param>
public sealed record TrustResource(bool NotModified, byte[] Content, string? ETag, long? Version, long? KrlVersion = null)
{
    /// <summary>A 304 answer.</summary>
    public static TrustResource Unchanged(string? etag, long? krlVersion = null) => new(true, [], etag, null, krlVersion);
}
