namespace Beacon.Web.Server;

// The server's JSON answers as beacon-web reads them (snake_case on the wire).

public sealed record Me(string Provider, string Subject, string Username, string? Email, List<string> Groups, long PolicyVersion,
    List<GrantedPolicy> Policies, bool IsAdmin);

public sealed record GrantedPolicy(string Name, List<string> Principals, List<string> HostGroups, bool AllowUngrouped, string DefaultTtl, string MaxTtl);

/// <summary>A keyset page: items and the cursor of the next page.</summary>
public sealed record Paged<T>(List<T> Items, string? Next);

/// <summary>valid_* are Unix seconds; issued_at and revoked_at Unix milliseconds.</summary>
public sealed record CertificateRow(string Serial, string Type, string Username, string Provider, string KeyId, List<string> Principals, string? HostGroup,
    long ValidAfter, long ValidBefore, long IssuedAt, string? ClientAddress, string PublicKeyFingerprint, string CaFingerprint, long? RevokedAt, string? RevokedBy)
{
    public DateTimeOffset Issued => DateTimeOffset.FromUnixTimeMilliseconds(IssuedAt);

    public TimeSpan Lifetime => TimeSpan.FromSeconds(ValidBefore - ValidAfter);

    public string State(DateTimeOffset now) => RevokedAt is not null ? "revoked" : ValidBefore <= now.ToUnixTimeSeconds() ? "expired" : "live";
}

public sealed record UserRow(long Id, string Provider, string Subject, string Username, string? Email, long FirstSeen, long LastSeen, bool Disabled, string? DisabledReason);

public sealed record AuditRow(long Seq, long OccurredAt, string Kind, string Outcome, string Actor, string? Subject, string Details, string Hash);

public sealed record AuditVerification(bool Intact, long Checked, long? BrokenAtSeq, string? Reason, long VerifiedAt);

public sealed record PolicyHistory(List<PolicyVersionRow> Items);

public sealed record PolicyVersionRow(long Version, long CreatedAt, string CreatedBy);

public sealed record PolicyVersionDocument(long Version, long CreatedAt, string CreatedBy, PolicyDocumentModel Document);

public sealed record RevocationResult(List<string> RevokedSerials, string? RevokedKeyFingerprint, long KrlVersion);

public sealed record PolicySaved(long Version, long CreatedAt, string CreatedBy);

/// <summary>The policy document as the server stores it (snake_case JSON).</summary>
public sealed class PolicyDocumentModel
{
    public List<PolicyRuleModel> Policies { get; set; } = [];

    /// <summary>Parts of the document this editor does not show (e.g. host rules): kept as they are.</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? Other { get; set; }
}

public sealed class PolicyRuleModel
{
    public string Name { get; set; } = "";
    public List<PolicySubjectModel> Subjects { get; set; } = [];
    public List<string> Principals { get; set; } = [];
    public List<string> DefaultPrincipals { get; set; } = [];
    public List<string> HostGroups { get; set; } = [];
    public bool AllowUngrouped { get; set; } = true;
    public string DefaultTtl { get; set; } = "15m";
    public string MaxTtl { get; set; } = "30m";
    public List<string> Extensions { get; set; } = [];
    public List<string> DefaultExtensions { get; set; } = [];
    public Dictionary<string, List<string>> CriticalOptions { get; set; } = [];
    public Dictionary<string, string> ForcedCriticalOptions { get; set; } = [];
    public List<string> SourceCidrs { get; set; } = [];
    public Dictionary<string, int> KeyTypes { get; set; } = [];

    /// <summary>Fields of a rule this editor does not know: carried over from the rule of the same name.</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? Other { get; set; }
}

public sealed class PolicySubjectModel
{
    public string Provider { get; set; } = "";
    public List<string> Users { get; set; } = [];
    public List<string> Groups { get; set; } = [];
    public Dictionary<string, string> Claims { get; set; } = [];
}

/// <summary>The server's offset-paged lists (hosts).</summary>
public sealed record OffsetPage<T>(List<T> Items, long Total, int Limit, int Offset);

public sealed record HostRow(string HostId, List<string> Names, List<string> Groups, DateTimeOffset EnrolledAt, DateTimeOffset? RenewedAt, DateTimeOffset ValidBefore);

public sealed record HostToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>A CA key; times are Unix milliseconds.</summary>
public sealed record CaKeyRow(long Id, string Kind, string State, string PublicKey, string Fingerprint, long CreatedAt, long? ActivatedAt, long? RetiredAt);

public sealed record CaKeyList(List<CaKeyRow> Keys);

public sealed record CaStepResult(string Message, CaKeyRow? Key, long? BundleVersion, string? BundleError);

public sealed record BundlePublication(long Version, string Message);
