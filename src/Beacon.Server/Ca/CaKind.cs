namespace Beacon.Server.Ca;

/// <summary>Which of the two CAs: the one sshd trusts for users, or the one ssh trusts for hosts.</summary>
public enum CaKind
{
    User,
    Host,
}
