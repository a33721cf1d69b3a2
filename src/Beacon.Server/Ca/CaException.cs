namespace Beacon.Server.Ca;

/// <summary>An operator-facing failure of the offline CA: printed as one line, never with a stack trace.</summary>
public sealed class CaException : Beacon.CommandLine.UserFacingException
{
    public CaException(string message) : base(message) { }

    public CaException(string message, Exception inner) : base(message, inner) { }
}
