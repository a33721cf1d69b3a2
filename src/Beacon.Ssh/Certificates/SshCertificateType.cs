namespace Beacon.Ssh.Certificates;

/// <summary>The certificate's type field (draft-miller-ssh-cert section 2.1): who it authenticates.</summary>
public enum SshCertificateType : uint
{
    User = 1,
    Host = 2,
}
