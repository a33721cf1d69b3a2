namespace Beacon.Server.Audit;

/// <summary>What a caller asks to record; the store gives it a sequence number, a time and its chain hashes.</summary>
/// <param name="Kind">e.g. certificate.issue, certificate.refuse, user.disable.</param>
/// <param name="Outcome">success, refused or error.</param>
/// <param name="Actor">Who acted: provider:subject, or local:operator for commands on the data directory.</param>
/// <param name="Subject">What was acted on: a username, a serial.</param>
/// <param name="Details">Everything else; never a token or a key (token identifiers are HMACed first).</param>
public sealed record AuditDraft(string Kind, string Outcome, string Actor, string? Subject, IReadOnlyDictionary<string, object?> Details);

/// <summary>A stored audit event, a link of the hash chain.</summary>
public sealed record AuditEvent(
    long Seq,
    long OccurredAt,
    string Kind,
    string Outcome,
    string Actor,
    string? Subject,
    string Details,
    string PrevHash,
    string Hash);

/// <summary>Outcome values.</summary>
public static class AuditOutcome
{
    public const string Success = "success";
    public const string Refused = "refused";
}
