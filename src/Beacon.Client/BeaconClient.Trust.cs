using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Beacon.Client;

// Trust distribution (docs/trust-protocol.md): conditional GETs of the signed bundle and the signed KRL,
// read with a size cap each, so a host's sync with nothing changed costs a 304 and a misbehaving server
// cannot make it read without bound.
public sealed partial class BeaconClient
{
    /// <summary>The largest bundle read (the document's own bound).</summary>
    public const int MaxBundleBytes = 1024 * 1024;

    /// <summary>Sanity bound for an armored OpenPGP or SSHSIG signature: real ones are well under 2 KiB.</summary>
    public const int MaxSignatureBytes = 64 * 1024;

    /// <summary>
    /// Sanity bound for a KRL: a million random 64-bit serials take about 8 MiB in the serial-list
    /// encoding; 64 MiB leaves room without letting a server exhaust a host's memory.
    /// </summary>
    public const int MaxKrlBytes = 64 * 1024 * 1024;

    /// <summary>GET /v1/trust/bundle with If-None-Match.</summary>
    /// <exception cref="BeaconApiException">Unreachable, TLS pin mismatch, an error status, or a body over the cap.</exception>
    public Task<TrustResource> GetTrustBundleAsync(string? etag = null, CancellationToken cancellationToken = default) =>
        GetTrustResourceAsync("v1/trust/bundle", etag, MaxBundleBytes, "Beacon-Bundle-Version", cancellationToken);

    /// <summary>GET /v1/trust/bundle.asc (the armored detached OpenPGP signature) with If-None-Match.</summary>
    /// <exception cref="BeaconApiException">Unreachable, TLS pin mismatch, an error status, or a body over the cap.</exception>
    public Task<TrustResource> GetTrustBundleSignatureAsync(string? etag = null, CancellationToken cancellationToken = default) =>
        GetTrustResourceAsync("v1/trust/bundle.asc", etag, MaxSignatureBytes, "Beacon-Bundle-Version", cancellationToken);

    /// <summary>GET /v1/trust/krl (the binary KRL) with If-None-Match.</summary>
    /// <exception cref="BeaconApiException">Unreachable, TLS pin mismatch, an error status, or a body over the cap.</exception>
    public Task<TrustResource> GetKrlAsync(string? etag = null, CancellationToken cancellationToken = default) =>
        GetTrustResourceAsync("v1/trust/krl", etag, MaxKrlBytes, "Beacon-Krl-Version", cancellationToken);

    /// <summary>GET /v1/trust/krl.sig (the KRL's armored SSHSIG) with If-None-Match.</summary>
    /// <exception cref="BeaconApiException">Unreachable, TLS pin mismatch, an error status, or a body over the cap.</exception>
    public Task<TrustResource> GetKrlSignatureAsync(string? etag = null, CancellationToken cancellationToken = default) =>
        GetTrustResourceAsync("v1/trust/krl.sig", etag, MaxSignatureBytes, "Beacon-Krl-Version", cancellationToken);

    private async Task<TrustResource> GetTrustResourceAsync(string path, string? etag, int maxBytes, string versionHeader, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            message.Headers.IfNoneMatch.Add(tag);
        }
        // The client's Timeout covers only the headers once they are streamed: one deadline for the body too.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_http.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (HttpRequestException e)
        {
            throw new BeaconApiException(0, "Server unreachable", $"{_http.BaseAddress}: {e.Message} (is the TLS fingerprint right?)", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BeaconApiException(0, "Server did not answer", $"{_http.BaseAddress}{path}: timed out", e);
        }
        using (response)
        {
            var responseTag = response.Headers.ETag?.ToString();
            var krlVersion = HeaderNumber(response, "Beacon-Krl-Version");
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return TrustResource.Unchanged(responseTag ?? etag, krlVersion);
            }
            if (!response.IsSuccessStatusCode)
            {
                var (title, detail) = await ReadProblemBoundedAsync(response, deadline.Token);
                throw new BeaconApiException((int)response.StatusCode, title, detail);
            }
            var content = await ReadBoundedAsync(response, path, maxBytes, deadline.Token, cancellationToken);
            return new TrustResource(false, content, responseTag, HeaderNumber(response, versionHeader), krlVersion);
        }
    }

    private static long? HeaderNumber(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string path, int maxBytes, CancellationToken deadline, CancellationToken caller)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw new BeaconApiException(0, "Answer too large", $"{path}: {length} bytes, more than the {maxBytes} allowed");
        }
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(deadline);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, deadline)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new BeaconApiException(0, "Answer too large", $"{path}: more than the {maxBytes} bytes allowed");
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (HttpRequestException e)
        {
            throw new BeaconApiException(0, "Answer cut short", $"{path}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new BeaconApiException(0, "Answer cut short", $"{path}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!caller.IsCancellationRequested)
        {
            throw new BeaconApiException(0, "Server did not answer", $"{path}: timed out reading the answer", e);
        }
    }

    private static async Task<(string Title, string Detail)> ReadProblemBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // An error body is read only if small: a problem document is a few hundred bytes.
        if (response.Content.Headers.ContentLength is null or > MaxSignatureBytes)
        {
            return (response.ReasonPhrase ?? "Error", $"HTTP {(int)response.StatusCode}");
        }
        try
        {
            return await ReadProblemAsync(response, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return (response.ReasonPhrase ?? "Error", $"HTTP {(int)response.StatusCode}");
        }
    }
}
