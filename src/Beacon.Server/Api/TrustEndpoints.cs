using Beacon.Server.Signing;

namespace Beacon.Server.Api;

/// <summary>Plain-text trust material for people with curl: CA public keys and ready known_hosts lines.</summary>
public static class TrustEndpoints
{
    public static IEndpointRouteBuilder MapTrustEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/trust/user-ca.pub", (CaKeyRing cas) => Text(cas.UserCa.PublicKey.ToOpenSshString("beacon-user-ca") + "\n"));
        app.MapGet("/v1/trust/host-ca.pub", (CaKeyRing cas) => Text(cas.HostCa.PublicKey.ToOpenSshString("beacon-host-ca") + "\n"));
        app.MapGet("/v1/trust/known_hosts", (CaKeyRing cas, string? hosts) =>
        {
            var patterns = string.IsNullOrWhiteSpace(hosts) ? "*" : hosts;
            if (patterns.Length > 512 || patterns.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return Problems.BadRequest("hosts: a comma-separated list of host patterns without spaces");
            }
            return Text($"@cert-authority {patterns} {cas.HostCa.PublicKey.ToOpenSshString("beacon-host-ca")}\n");
        });
        return app;
    }

    private static IResult Text(string body) => Results.Text(body, "text/plain; charset=utf-8");
}
