namespace Beacon.CommandLine;

/// <summary>
/// A failure the user can act on (a missing file, a wrong password, bad input): printed as one line,
/// "PROGRAM: message", never with a stack trace, and the command exits with <see cref="ExitCodes.Failure"/>.
/// </summary>
public class UserFacingException : Exception
{
    public UserFacingException(string message) : base(message) { }

    public UserFacingException(string message, Exception inner) : base(message, inner) { }
}
