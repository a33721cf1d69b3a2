namespace Beacon.Testing;

/// <summary>How a test sshd decides which certificate principals may log in to an account.</summary>
public enum SshdPrincipals
{
    /// <summary>No principals file or command: the certificate must name the account itself (sshd's default).</summary>
    AccountName,

    /// <summary>
    /// AuthorizedPrincipalsFile DIR/%u. The files sit below /tmp, whose world-writable parent
    /// StrictModes refuses, so this mode turns StrictModes off.
    /// </summary>
    File,

    /// <summary>AuthorizedPrincipalsCommand /bin/cat DIR/%u run as nobody; StrictModes stays on.</summary>
    Command,
}
