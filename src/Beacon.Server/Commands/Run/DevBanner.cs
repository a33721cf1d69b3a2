using System.Security.Cryptography.X509Certificates;
using Beacon.Server.Commands.Token;
using Beacon.Server.Hosting;

namespace Beacon.Server.Commands.Run;

/// <summary>What `run --dev` prints: where the server is, what to pin, and how to get a first certificate.</summary>
public static class DevBanner
{
    public static async Task PrintAsync(TextWriter output, DataDirectory data, string url, CancellationToken cancellationToken)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(data.TlsCertificate);
        var fingerprint = TlsCertificateFactory.Fingerprint(certificate);
        var user = Environment.UserName;
        // The command as it can be typed here: the apphost's path when run as one, else its name.
        var program = Environment.ProcessPath is { } path && Path.GetFileName(path) == "beacon-server" ? path : "beacon-server";
        var token = await TokenCreateCommand.MintAsync(data.Root, user, [user], TimeSpan.FromMinutes(15), cancellationToken);
        await output.WriteLineAsync($"""

            BeaconSSH server (dev mode) is listening on {url}
              data directory:       {data.Root}
              TLS fingerprint:      {fingerprint}   (clients pin this)
              user CA public key:   {url}/v1/trust/user-ca.pub
              host CA known_hosts:  {url}/v1/trust/known_hosts

            A one-time token for "{user}" (principal {user}, single use, 15 minutes):
              {token}

            Get a first certificate for a key:
              ssh-keygen -t ed25519 -N '' -f ./id_beacon
              curl -sS --cacert {data.TlsCertificate} -H "Authorization: Bearer {token}" \
                -H 'Content-Type: application/json' \
                -d "{"{"}\"public_key\": \"$(cat ./id_beacon.pub)\"{"}"}" {url}/v1/certificates/user

            More tokens: {program} token create --data-dir {data.Root} --user NAME --principals NAME
            Press Ctrl+C to stop.
            """);
    }
}
