using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Testing;

/// <summary>ssh-keygen's SSHSIG commands (-Y sign, -Y verify, -Y check-novalidate) over files, as the judge of our signatures.</summary>
public static class SshKeygenSig
{
    /// <summary>Signs a message file with `ssh-keygen -Y sign`; returns the armored signature text.</summary>
    public static string Sign(TempDirectory temp, SshPrivateKey key, string messagePath, string @namespace)
    {
        var keyPath = temp.WritePrivate($"signer-{Guid.NewGuid():N}", OpenSshPrivateKeyFile.Write(key, "signer"));
        var result = OpenSsh.Keygen("-Y", "sign", "-f", keyPath, "-n", @namespace, messagePath);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen -Y sign failed\n{result}");
        }
        return File.ReadAllText(messagePath + ".sig");
    }

    /// <summary>`ssh-keygen -Y verify -f allowed_signers -I IDENTITY -n NAMESPACE -s SIG &lt; MESSAGE`, the message fed as bytes.</summary>
    public static ProcessResult Verify(TempDirectory temp, SshPublicKey signer, string identity, string @namespace, string signaturePath, string messagePath)
    {
        var allowed = temp.Write($"allowed-{Guid.NewGuid():N}", $"{identity} namespaces=\"{@namespace}\" {signer.ToOpenSshString()}\n");
        return OpenSsh.Run("/bin/sh", ["-c", "exec \"$0\" -Y verify -f \"$1\" -I \"$2\" -n \"$3\" -s \"$4\" < \"$5\"",
            OpenSsh.SshKeygen, allowed, identity, @namespace, signaturePath, messagePath]);
    }

    /// <summary>`ssh-keygen -Y check-novalidate -n NAMESPACE -s SIG &lt; MESSAGE`: valid under its own key, no trust decision.</summary>
    public static ProcessResult CheckNoValidate(string @namespace, string signaturePath, string messagePath) =>
        OpenSsh.Run("/bin/sh", ["-c", "exec \"$0\" -Y check-novalidate -n \"$1\" -s \"$2\" < \"$3\"",
            OpenSsh.SshKeygen, @namespace, signaturePath, messagePath]);
}
