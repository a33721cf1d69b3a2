using Beacon.CommandLine;

namespace Beacon.Host;

/// <summary>A refusal or failure beacon-host reports as one line on stderr with exit code 1.</summary>
public sealed class HostException : UserFacingException
{
    public HostException(string message) : base(message) { }

    public HostException(string message, Exception inner) : base(message, inner) { }
}
