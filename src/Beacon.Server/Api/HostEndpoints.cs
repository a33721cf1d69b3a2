using System.Globalization;
using Beacon.Server.Hosting;
using Beacon.Server.Hosts;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Api;

/// <summary>POST /v1/hosts/enroll (a one-time token), /v1/hosts/renew/challenge and /v1/hosts/renew (proof of possession, no token).</summary>
public static class HostEndpoints
{
    public static IEndpointRouteBuilder MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/hosts/enroll", EnrollAsync);
        app.MapPost("/v1/hosts/renew/challenge", ChallengeAsync);
        app.MapPost("/v1/hosts/renew", RenewAsync);
        app.MapHostAdminEndpoints();
        return app;
    }

    private static async Task<IResult> EnrollAsync(HttpContext http, HostCertificateIssuer issuer, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (limits.AuthenticationFailuresExhausted(client) is { } failureRetry)
        {
            return RequestRateLimits.TooMany(failureRetry, "too many failed authentications from this address");
        }
        var token = BearerToken.From(http.Request);
        if (token is null || !HostEnrollmentToken.HasShape(token))
        {
            limits.RecordAuthenticationFailure(client);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthenticated("send the host enrollment token (beacon-host-…) as \"Authorization: Bearer TOKEN\"");
        }
        var (body, problem) = await BoundedJson.ReadAsync<HostEnrollRequestBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
        var outcome = await issuer.EnrollAsync(token, body?.Names, body?.PublicKeys, client, cancellationToken,
            problem is null ? null : "the request body is not a valid enrollment request (JSON with names and public_keys)");
        if (outcome.Status == 401)
        {
            limits.RecordAuthenticationFailure(client);
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        }
        // The token is used up by this attempt either way; a malformed body is answered after that.
        if (problem is not null && outcome.Status != 401)
        {
            return problem;
        }
        return Answer(outcome);
    }

    private static async Task<IResult> ChallengeAsync(HttpContext http, HostCertificateIssuer issuer, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (limits.IssuanceExhausted(client) is { } retry)
        {
            return RequestRateLimits.TooMany(retry, "too many host renewal requests from this address");
        }
        var (body, problem) = await BoundedJson.ReadAsync<HostChallengeRequestBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var outcome = await issuer.ChallengeAsync(body!.Certificate, client, cancellationToken);
        return outcome.Value is { } challenge
            ? Results.Json(new HostChallengeResponse(Convert.ToBase64String(challenge.Challenge), challenge.ExpiresAt), ApiJson.Options)
            : Problems.Of(outcome.Status, outcome.Title!, outcome.Detail!);
    }

    private static async Task<IResult> RenewAsync(HttpContext http, HostCertificateIssuer issuer, RequestRateLimits limits,
        IOptions<BeaconServerOptions> options, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (limits.IssuanceExhausted(client) is { } retry)
        {
            return RequestRateLimits.TooMany(retry, "too many host renewal requests from this address");
        }
        var (body, problem) = await BoundedJson.ReadAsync<HostRenewRequestBody>(http.Request, options.Value.Limits.MaxRequestBodyBytes, ApiJson.Options, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        return Answer(await issuer.RenewAsync(body!.Certificate, body.Challenge, body.Signature, client, cancellationToken));
    }

    private static IResult Answer(HostResult<HostIssuance> outcome) =>
        outcome.Value is { } issued
            ? Results.Json(new HostEnrollmentResponse(issued.HostId, issued.Groups, issued.Certificates.Select(c => new HostCertificateResponse(
                c.ToOpenSshString(), c.Serial.ToString(CultureInfo.InvariantCulture), c.ValidAfterTime, c.ValidBeforeTime)).ToList()), ApiJson.Options)
            : Problems.Of(outcome.Status, outcome.Title!, outcome.Detail!);
}
