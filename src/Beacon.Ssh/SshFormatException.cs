namespace Beacon.Ssh;

/// <summary>
/// Malformed SSH-format data: a key, certificate, signature, KRL or agent message that does not
/// follow its specification. The message names the field and, where useful, quotes the value.
/// It is the only exception a parser in this library throws for bad input.
/// </summary>
public sealed class SshFormatException : Exception
{
    public SshFormatException(string message) : base(message) { }

    public SshFormatException(string message, Exception inner) : base(message, inner) { }
}
