using System.Data.Common;
using System.Threading.Channels;
using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

// Issuances are recorded by one writer per process that takes every request waiting at that moment and
// records them in one chain transaction: one lock, one head read, one durable commit for the lot. Each
// caller still returns only after its own certificate and audit event are committed (group commit).
public sealed partial class SqlBeaconStore : IDisposable
{
    /// <summary>The most issuances recorded in one transaction.</summary>
    private const int MaxBatch = 64;

    private const string InsertCertificate =
        "INSERT INTO certificates (serial, cert_type, user_id, username, provider, key_id, principals, host_group, public_key_fingerprint, " +
        "ca_fingerprint, valid_after, valid_before, issued_at, client_address, request_id, certificate) VALUES (@Serial, @CertType, @UserId, " +
        "@Username, @Provider, @KeyId, @Principals, @HostGroup, @PublicKeyFingerprint, @CaFingerprint, @ValidAfter, @ValidBefore, @IssuedAt, " +
        "@ClientAddress, @RequestId, @Certificate)";

    private readonly Channel<PendingIssuance> _issuances = Channel.CreateUnbounded<PendingIssuance>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;

    private sealed record PendingIssuance(CertificateRecord Certificate, AuditDraft Audit, TaskCompletionSource<AuditEvent> Done);

    /// <summary>
    /// Queues the certificate and its audit event for the writer and waits until both are committed. Once
    /// queued, the write happens whatever becomes of the caller: there is never a half-recorded issuance.
    /// </summary>
    public Task<AuditEvent> RecordIssuanceAsync(CertificateRecord certificate, AuditDraft audit, CancellationToken cancellationToken = default)
    {
        if (_writer is null)
        {
            lock (_issuances)
            {
                _writer ??= Task.Run(WriteLoopAsync);
            }
        }
        var pending = new PendingIssuance(certificate, audit, new TaskCompletionSource<AuditEvent>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_issuances.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqlBeaconStore));
        }
        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingIssuance>(MaxBatch);
        while (await _issuances.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _issuances.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            await RecordBatchAsync(batch);
        }
    }

    private async Task RecordBatchAsync(List<PendingIssuance> batch)
    {
        try
        {
            var events = await InChainAsync(async (connection, transaction) =>
            {
                var recorded = new List<AuditEvent>(batch.Count);
                var (seq, hash) = await ChainHeadAsync(connection, transaction);
                foreach (var item in batch)
                {
                    await connection.ExecuteAsync(new CommandDefinition(InsertCertificate, item.Certificate, transaction));
                    var audit = AuditChain.Next(seq, hash, clock.GetUtcNow().ToUnixTimeMilliseconds(), item.Audit);
                    await InsertAuditAsync(connection, transaction, audit, CancellationToken.None);
                    (seq, hash) = (audit.Seq, audit.Hash);
                    recorded.Add(audit);
                }
                return recorded;
            }, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(events[i]);
            }
        }
        catch (Exception e) when (batch.Count > 1 && IsUniqueViolation(e))
        {
            // A serial collided (64 random bits: rare). Record each alone, so only that one fails.
            foreach (var item in batch)
            {
                await RecordBatchAsync([item]);
            }
        }
        catch (Exception e)
        {
            var failure = batch.Count == 1 && IsUniqueViolation(e) ? new DuplicateSerialException(batch[0].Certificate.Serial) : e;
            foreach (var item in batch)
            {
                item.Done.TrySetException(failure);
            }
        }
    }

    private bool IsUniqueViolation(Exception e) => dialect.IsUniqueViolation(e) || e.InnerException is { } inner && dialect.IsUniqueViolation(inner);

    public void Dispose() => _issuances.Writer.TryComplete();
}
