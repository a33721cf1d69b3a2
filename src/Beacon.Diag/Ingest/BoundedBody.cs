using System.Buffers;
using Microsoft.Net.Http.Headers;

namespace Beacon.Diag.Ingest;

/// <summary>Reads a request body of at most a given size: a larger one is refused with 413 before or while it is read.</summary>
internal static class BoundedBody
{
    /// <exception cref="BatchRejectedException">Not application/json (415), or larger than <paramref name="maxBytes"/> (413).</exception>
    public static async Task<ReadOnlyMemory<byte>> ReadJsonAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw new BatchRejectedException(415, "unsupported_media_type", null, "the body must be application/json (UTF-8)");
        }
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, maxBytes + 1) - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static BatchRejectedException TooLarge(int maxBytes) =>
        new(413, "too_large", null, $"the body is larger than {maxBytes} bytes");
}
