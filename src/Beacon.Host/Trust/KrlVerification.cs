using System.Text;
using Beacon.Ssh;
using Beacon.Ssh.Krl;
using Beacon.Ssh.SshSig;
using Beacon.Trust.Bundle;

namespace Beacon.Host.Trust;

/// <summary>A KRL is installed only with a valid SSHSIG by one of the bundle's revocation keys, and only if it parses.</summary>
public static class KrlVerification
{
    /// <summary>The SSHSIG namespace the server signs KRLs in.</summary>
    public const string Namespace = "beacon-krl@beaconssh";

    /// <exception cref="HostException">Malformed signature, a signature by no revocation key of the bundle, or a malformed KRL.</exception>
    public static KeyRevocationList Verify(byte[] krl, byte[] armoredSignature, TrustBundle bundle)
    {
        SshSignatureFile signature;
        try
        {
            signature = SshSigParser.ParseArmored(Encoding.UTF8.GetString(armoredSignature));
        }
        catch (SshFormatException e)
        {
            throw new HostException($"KRL refused: its signature is malformed ({e.Message})", e);
        }
        // Only a key the signed bundle names may say what is revoked: a KRL signed by anyone else could
        // hide a revocation (an empty list) as easily as add one.
        if (!bundle.RevocationKeys.Any(key => SshSigVerifier.Verify(signature, krl, Namespace, key)))
        {
            throw new HostException($"KRL refused: its signature does not verify with a revocation key of bundle version {bundle.Version} (signed by {signature.PublicKey.Fingerprint})");
        }
        try
        {
            return KrlParser.Parse(krl);
        }
        catch (SshFormatException e)
        {
            throw new HostException($"KRL refused: {e.Message}", e);
        }
    }
}
