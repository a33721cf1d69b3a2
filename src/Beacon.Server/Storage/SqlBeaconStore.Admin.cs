using Beacon.Server.Audit;
using Dapper;

namespace Beacon.Server.Storage;

// The admin dashboard's searches (IAdminStore): keyset paging over indexes from migration 0005.
public sealed partial class SqlBeaconStore : IAdminStore
{
    /// <summary>Sanity bound on a page (one more row is read to know whether another page follows).</summary>
    public const int MaxPage = 200;

    public Task<IReadOnlyList<UserRecord>> SearchUsersAsync(UserSearch search, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<UserRecord>>(async connection =>
        {
            var clauses = new List<string>();
            var parameters = new DynamicParameters();
            if (!string.IsNullOrEmpty(search.Text))
            {
                clauses.Add("(username LIKE @text ESCAPE '\\' OR email LIKE @text ESCAPE '\\')");
                parameters.Add("text", "%" + EscapeLike(search.Text) + "%");
            }
            if (search.AfterUsername is { } afterUsername)
            {
                clauses.Add("(username > @afterUsername OR (username = @afterUsername AND id > @afterId))");
                parameters.Add("afterUsername", afterUsername);
                parameters.Add("afterId", search.AfterId ?? 0);
            }
            parameters.Add("limit", Math.Clamp(search.Limit, 1, MaxPage) + 1);
            return (await connection.QueryAsync<UserRecord>(new CommandDefinition(
                $"SELECT {UserColumns} FROM users{Where(clauses)} ORDER BY username, id LIMIT @limit", parameters, cancellationToken: cancellationToken))).AsList();
        }, cancellationToken);

    public Task<IReadOnlyList<CertificateRecord>> SearchCertificatesAsync(CertificateSearch search, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<CertificateRecord>>(async connection =>
        {
            var clauses = new List<string>();
            var parameters = new DynamicParameters();
            void Equal(string column, string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    clauses.Add($"{column} = @{name}");
                    parameters.Add(name, value);
                }
            }
            Equal("username", "username", search.Username);
            Equal("provider", "provider", search.Provider);
            Equal("serial", "serial", search.Serial);
            Equal("key_id", "keyId", search.KeyId);
            if (!string.IsNullOrEmpty(search.Principal))
            {
                // Principals are stored as a JSON array of strings; match one element exactly.
                clauses.Add("principals LIKE @principal ESCAPE '\\'");
                parameters.Add("principal", "%\"" + EscapeLike(search.Principal.Replace("\"", "", StringComparison.Ordinal)) + "\"%");
            }
            if (search.IssuedFrom is { } from)
            {
                clauses.Add("issued_at >= @from");
                parameters.Add("from", from);
            }
            if (search.IssuedTo is { } to)
            {
                clauses.Add("issued_at < @to");
                parameters.Add("to", to);
            }
            switch (search.Status)
            {
                case "live":
                    clauses.Add("revoked_at IS NULL AND valid_before > @now");
                    break;
                case "revoked":
                    clauses.Add("revoked_at IS NOT NULL");
                    break;
                case "expired":
                    clauses.Add("revoked_at IS NULL AND valid_before <= @now");
                    break;
            }
            parameters.Add("now", search.Now);
            if (search.AfterIssuedAt is { } afterIssuedAt)
            {
                clauses.Add("(issued_at < @afterIssuedAt OR (issued_at = @afterIssuedAt AND serial < @afterSerial))");
                parameters.Add("afterIssuedAt", afterIssuedAt);
                parameters.Add("afterSerial", search.AfterSerial ?? "");
            }
            parameters.Add("limit", Math.Clamp(search.Limit, 1, MaxPage) + 1);
            return (await connection.QueryAsync<CertificateRecord>(new CommandDefinition(
                $"SELECT {CertificateColumns} FROM certificates{Where(clauses)} ORDER BY issued_at DESC, serial DESC LIMIT @limit",
                parameters, cancellationToken: cancellationToken))).AsList();
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> SearchAuditAsync(AuditSearch search, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<AuditEvent>>(async connection =>
        {
            var clauses = new List<string>();
            var parameters = new DynamicParameters();
            void Equal(string column, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    clauses.Add($"{column} = @{column}");
                    parameters.Add(column, value);
                }
            }
            Equal("kind", search.Kind);
            Equal("actor", search.Actor);
            Equal("subject", search.Subject);
            Equal("outcome", search.Outcome);
            if (search.BeforeSeq is { } before)
            {
                clauses.Add("seq < @before");
                parameters.Add("before", before);
            }
            parameters.Add("limit", Math.Clamp(search.Limit, 1, MaxPage) + 1);
            return (await connection.QueryAsync<AuditEvent>(new CommandDefinition(
                "SELECT seq, occurred_at AS OccurredAt, kind, outcome, actor, subject, details, prev_hash AS PrevHash, hash " +
                $"FROM audit_events{Where(clauses)} ORDER BY seq DESC LIMIT @limit", parameters, cancellationToken: cancellationToken))).AsList();
        }, cancellationToken);

    /// <summary>The certificate with this serial, or null (serves IAdminStore and IHostStore).</summary>
    public Task<CertificateRecord?> FindCertificateAsync(string serial, CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await connection.QuerySingleOrDefaultAsync<CertificateRecord>(new CommandDefinition(
            $"SELECT {CertificateColumns} FROM certificates WHERE serial = @serial", new { serial }, cancellationToken: cancellationToken)), cancellationToken);

    private static string Where(List<string> clauses) => clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
