using System.Text;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Certificates;

/// <summary>
/// A critical option or extension. On the wire its data is empty for a flag, or an SSH string holding
/// the value (force-command, source-address); <see cref="Data"/> keeps the raw bytes so unknown
/// options round-trip exactly.
/// </summary>
public sealed record SshCertificateOption
{
    public SshCertificateOption(string name, ReadOnlyMemory<byte> data)
    {
        Name = name;
        Data = data;
    }

    /// <summary>A flag (empty data), as every standard extension is.</summary>
    public static SshCertificateOption Flag(string name) => new(name, ReadOnlyMemory<byte>.Empty);

    /// <summary>An option whose data is one SSH string, as force-command and source-address are.</summary>
    public static SshCertificateOption WithValue(string name, string value) =>
        new(name, new SshWriter().WriteString(value).ToArray());

    public string Name { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The value when the data is one SSH string; empty for a flag; null when the data is neither.</summary>
    public string? Value
    {
        get
        {
            if (Data.IsEmpty)
            {
                return "";
            }
            try
            {
                var reader = new SshReader(Data.Span);
                var value = reader.ReadUtf8(Name);
                return reader.AtEnd ? value : null;
            }
            catch (SshFormatException)
            {
                return null;
            }
        }
    }

    public bool Equals(SshCertificateOption? other) =>
        other is not null && Name == other.Name && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Data.IsEmpty ? Name : $"{Name} {Value ?? Convert.ToHexString(Data.Span)}";
}

/// <summary>Names of the options OpenSSH defines (PROTOCOL.certkeys).</summary>
public static class SshCertificateOptions
{
    public const string ForceCommand = "force-command";
    public const string SourceAddress = "source-address";
    public const string VerifyRequired = "verify-required";

    public const string PermitX11Forwarding = "permit-X11-forwarding";
    public const string PermitAgentForwarding = "permit-agent-forwarding";
    public const string PermitPortForwarding = "permit-port-forwarding";
    public const string PermitPty = "permit-pty";
    public const string PermitUserRc = "permit-user-rc";
    public const string NoTouchRequired = "no-touch-required";

    /// <summary>What ssh-keygen grants a user certificate by default.</summary>
    public static IReadOnlyList<string> DefaultUserExtensions { get; } =
        [PermitX11Forwarding, PermitAgentForwarding, PermitPortForwarding, PermitPty, PermitUserRc];

    internal static int CompareNames(string a, string b) =>
        // Lexical order of the raw bytes, as OpenSSH compares with strcmp.
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
