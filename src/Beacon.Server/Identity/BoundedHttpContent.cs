using System.Buffers;

namespace Beacon.Server.Identity;

/// <summary>Reads an HTTP body only up to a limit, so a peer cannot make the server allocate or wait for more.</summary>
public static class BoundedHttpContent
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The whole body, or null when it declares or turns out to be longer than <paramref name="limit"/> bytes (nothing beyond the limit is read).</summary>
    /// <exception cref="HttpRequestException">The connection failed while reading.</exception>
    /// <exception cref="IOException">The connection failed while reading.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (content.Headers.ContentLength > limit)
        {
            return null;
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken);
                if (read == 0)
                {
                    return body.ToArray();
                }
                if (body.Length + read > limit)
                {
                    return null;
                }
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
