using System.Text.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Issuance;
using Beacon.Server.Policy;
using Beacon.Server.Signing;
using Beacon.Ssh.Certificates;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>POST /v1/certificates/user: the signing request.</summary>
public static class CertificateEndpoints
{
    private static readonly HashSet<string> KnownCriticalOptions =
        [SshCertificateOptions.ForceCommand, SshCertificateOptions.SourceAddress, SshCertificateOptions.VerifyRequired];

    /// <summary>Sanity bound on a requested lifetime before policy looks at it (policy's maximum is far lower).</summary>
    private static readonly TimeSpan MaxRequestTtl = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapCertificateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/certificates/user", IssueUserCertificateAsync);
        return app;
    }

    private static async Task<IResult> IssueUserCertificateAsync(HttpContext http, UserCertificateIssuer issuer, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (limits.AuthenticationFailuresExhausted(client) is { } failureRetry)
        {
            return RequestRateLimits.TooMany(failureRetry, "too many failed authentications from this address");
        }
        var token = BearerToken.From(http.Request);
        if (token is null)
        {
            limits.RecordAuthenticationFailure(client);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthenticated("send the identity provider's token as \"Authorization: Bearer TOKEN\"");
        }
        var (body, problem) = await BoundedJson.ReadAsync<UserCertificateRequestBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (ToShape(body!) is { Error: { } shapeError })
        {
            return Problems.BadRequest(shapeError);
        }
        var shape = ToShape(body!).Shape!;
        if (limits.IssuanceExhausted(client) is { } addressRetry)
        {
            return RequestRateLimits.TooMany(addressRetry, "too many certificate requests from this address");
        }

        var outcome = await issuer.IssueAsync(new UserCertificateRequest(token, BearerToken.ProviderHint(http.Request), body!.PublicKey, shape, client), cancellationToken);
        if (outcome.Status == 401)
        {
            limits.RecordAuthenticationFailure(client);
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        }
        if (outcome.RetryAfter is { } retryAfter)
        {
            return RequestRateLimits.TooMany(retryAfter, outcome.Detail!);
        }
        if (outcome.Certificate is not { } certificate)
        {
            return Problems.Of(outcome.Status, outcome.Title!, outcome.Detail!);
        }
        var record = outcome.Record!;
        return Results.Json(new UserCertificateResponse(
            certificate.ToOpenSshString(), record.Serial, certificate.KeyId, record.ValidAfter, record.ValidBefore, certificate.Principals),
            ApiJson.Options, statusCode: 201);
    }

    /// <summary>Checks the request's shape (not yet policy): durations parse, option names are known, values are sane.</summary>
    internal static (CertificateRequestShape? Shape, string? Error) ToShape(UserCertificateRequestBody body)
    {
        TimeSpan? ttl = null;
        if (body.Ttl is not null)
        {
            if (!DurationText.TryParse(body.Ttl, MaxRequestTtl, out var parsed))
            {
                return (null, $"ttl: \"{Truncate(body.Ttl)}\" is not a duration like 30s, 15m or 8h");
            }
            ttl = parsed;
        }
        if (body.Principals is { } principals)
        {
            if (principals.Count == 0)
            {
                return (null, "principals: an empty list would allow any principal; name at least one or omit the field");
            }
            if (principals.FirstOrDefault(p => !IsValidName(p)) is { } bad)
            {
                return (null, $"principals: \"{Truncate(bad)}\" is not a valid principal");
            }
        }
        if (body.HostGroup is { } group && !IsValidName(group))
        {
            return (null, $"host_group: \"{Truncate(group)}\" is not a valid host group name");
        }
        if (body.Extensions?.FirstOrDefault(e => !IsValidName(e)) is { } badExtension)
        {
            return (null, $"extensions: \"{Truncate(badExtension)}\" is not a valid extension name");
        }
        foreach (var (name, value) in body.CriticalOptions ?? [])
        {
            if (!KnownCriticalOptions.Contains(name))
            {
                // sshd refuses a certificate with an unknown critical option, so never issue one.
                return (null, $"critical_options: \"{Truncate(name)}\" is not a critical option OpenSSH knows");
            }
            if (name == SshCertificateOptions.SourceAddress && !Cidr.IsValidList(value))
            {
                return (null, $"critical_options: source-address \"{Truncate(value)}\" is not a list of CIDRs");
            }
            if (value.Length > 1024 || value.Any(char.IsControl))
            {
                return (null, $"critical_options: the value of {name} is too long or holds control characters");
            }
        }
        return (new CertificateRequestShape(body.Principals, body.HostGroup, ttl, body.Extensions, body.CriticalOptions), null);
    }

    private static bool IsValidName(string value) =>
        value.Length is > 0 and <= PolicyEvaluator.MaxNameLength && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',');

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "…" : value;

    internal static string[] ParsePrincipals(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
