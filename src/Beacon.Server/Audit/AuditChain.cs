using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Beacon.Server.Audit;

/// <summary>
/// The hash chain over audit events: each event's hash covers its own fields and the previous hash,
/// so editing, inserting or deleting a row breaks every link after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// The hash of an event: SHA-256 over a JSON array of its fields (a JSON array is an unambiguous
    /// encoding, so no two different events serialise alike).
    /// </summary>
    public static string Hash(long seq, long occurredAt, string kind, string outcome, string actor, string? subject, string details, string prevHash)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object?[] { seq, occurredAt, kind, outcome, actor, subject, details, prevHash });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    public static string Hash(AuditEvent e) => Hash(e.Seq, e.OccurredAt, e.Kind, e.Outcome, e.Actor, e.Subject, e.Details, e.PrevHash);

    /// <summary>Serialises details in a stable order (sorted keys) so the hash is reproducible.</summary>
    public static string SerializeDetails(IReadOnlyDictionary<string, object?> details)
    {
        var sorted = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in details)
        {
            sorted[key] = value;
        }
        return JsonSerializer.Serialize(sorted);
    }

    /// <summary>Builds the next event after (<paramref name="lastSeq"/>, <paramref name="lastHash"/>).</summary>
    public static AuditEvent Next(long lastSeq, string lastHash, long occurredAt, AuditDraft draft)
    {
        var seq = lastSeq + 1;
        var details = SerializeDetails(draft.Details);
        var hash = Hash(seq, occurredAt, draft.Kind, draft.Outcome, draft.Actor, draft.Subject, details, lastHash);
        return new AuditEvent(seq, occurredAt, draft.Kind, draft.Outcome, draft.Actor, draft.Subject, details, lastHash, hash);
    }
}

/// <summary>Walks the chain and names the first broken link.</summary>
public static class AuditVerifier
{
    public sealed record Result(long Checked, long? BrokenAtSeq, string? Reason)
    {
        public bool Ok => BrokenAtSeq is null;
    }

    public static async Task<Result> VerifyAsync(IAsyncEnumerable<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        long expectedSeq = 1;
        var prevHash = AuditChain.Genesis;
        long count = 0;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            if (e.Seq != expectedSeq)
            {
                return new Result(count, expectedSeq, e.Seq > expectedSeq
                    ? $"event {expectedSeq} is missing (next is {e.Seq})"
                    : $"event {e.Seq} is out of sequence");
            }
            if (e.PrevHash != prevHash)
            {
                return new Result(count, e.Seq, $"event {e.Seq} does not link to event {e.Seq - 1} (previous hash differs)");
            }
            if (AuditChain.Hash(e) != e.Hash)
            {
                return new Result(count, e.Seq, $"event {e.Seq} was altered (its hash does not match its content)");
            }
            prevHash = e.Hash;
            expectedSeq++;
            count++;
        }
        return new Result(count, null, null);
    }
}
