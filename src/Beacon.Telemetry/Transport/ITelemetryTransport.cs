namespace Beacon.Telemetry.Transport;

/// <summary>Delivers one encoded batch to the diagnostic server; throws on any failure (the session drops the batch).</summary>
public interface ITelemetryTransport : IDisposable
{
    /// <summary>True once it is known that nothing can be delivered (the connection failed), so a flush can drop at once.</summary>
    bool IsKnownUnreachable { get; }

    Task SendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);
}
