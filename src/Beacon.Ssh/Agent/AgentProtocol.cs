using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;
using Beacon.Ssh.Wire;

namespace Beacon.Ssh.Agent;

/// <summary>
/// The agent protocol's messages (RFC 9987), encoded and decoded without a socket so every reply
/// parser can be tested on its own. Each request is uint32 length, byte type, contents.
/// </summary>
public static class AgentProtocol
{
    /// <summary>OpenSSH's AGENT_MAX_LEN: a sanity bound on any message, not in the RFC.</summary>
    public const int MaxMessageLength = 256 * 1024;

    /// <summary>Sanity bound, not in the RFC: identities in one answer (OpenSSH's agent holds at most 2048).</summary>
    public const int MaxIdentities = 4096;

    public const byte Failure = 5;
    public const byte Success = 6;

    public const byte RequestIdentities = 11;
    public const byte IdentitiesAnswer = 12;

    public const byte SignRequest = 13;
    public const byte SignResponse = 14;

    /// <summary>Sign flags for RSA keys (RFC 9987 section 3.6.1).</summary>
    public const uint RsaSha2_256 = 2;
    public const uint RsaSha2_512 = 4;

    public const byte AddIdentity = 17;
    public const byte RemoveIdentity = 18;
    public const byte RemoveAllIdentities = 19;
    public const byte AddIdentityConstrained = 25;

    public const byte ConstrainLifetime = 1;
    public const byte ConstrainConfirm = 2;

    /// <summary>Frames a message: uint32 length, then type and contents.</summary>
    public static byte[] Frame(byte type, SshWriter? contents = null)
    {
        var body = contents is null ? ReadOnlySpan<byte>.Empty : contents.WrittenSpan;
        var writer = new SshWriter(body.Length + 5);
        writer.WriteUInt32((uint)(body.Length + 1)).WriteByte(type).WriteRaw(body);
        return writer.ToArray();
    }

    /// <summary>An add-identity request for a plain key, with optional lifetime and confirm constraints.</summary>
    public static byte[] EncodeAddIdentity(SshPrivateKey key, string comment, TimeSpan? lifetime, bool confirm)
    {
        var writer = new SshWriter();
        writer.WriteString(key.PublicKey.KeyType);
        key.WritePrivateFields(writer);
        writer.WriteString(comment);
        return EncodeAdd(writer, lifetime, confirm);
    }

    /// <summary>An add-identity request for a key with its certificate: the certificate type, the certificate, the remaining private fields.</summary>
    /// <exception cref="ArgumentException">The certificate is not for this key.</exception>
    public static byte[] EncodeAddCertificate(SshPrivateKey key, SshCertificate certificate, string comment, TimeSpan? lifetime, bool confirm)
    {
        if (!certificate.PublicKey.Equals(key.PublicKey))
        {
            throw new ArgumentException("the certificate certifies another key", nameof(certificate));
        }
        var writer = new SshWriter();
        writer.WriteString(certificate.CertificateType).WriteString(certificate.Blob);
        key.WritePrivateFieldsAfterCertificate(writer);
        writer.WriteString(comment);
        return EncodeAdd(writer, lifetime, confirm);
    }

    private static byte[] EncodeAdd(SshWriter identity, TimeSpan? lifetime, bool confirm)
    {
        if (lifetime is null && !confirm)
        {
            return Frame(AddIdentity, identity);
        }
        if (lifetime is { } life)
        {
            var seconds = Math.Ceiling(life.TotalSeconds);
            if (seconds < 1 || seconds > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(lifetime), "a lifetime is 1 second or more");
            }
            identity.WriteByte(ConstrainLifetime).WriteUInt32((uint)seconds);
        }
        if (confirm)
        {
            identity.WriteByte(ConstrainConfirm);
        }
        return Frame(AddIdentityConstrained, identity);
    }

    public static byte[] EncodeRemove(ReadOnlySpan<byte> keyBlob) => Frame(RemoveIdentity, new SshWriter().WriteString(keyBlob));

    public static byte[] EncodeSign(ReadOnlySpan<byte> keyBlob, ReadOnlySpan<byte> data, uint flags) =>
        Frame(SignRequest, new SshWriter().WriteString(keyBlob).WriteString(data).WriteUInt32(flags));

    /// <summary>Decodes an identities answer (the message body: type byte and contents, without the length).</summary>
    /// <exception cref="SshFormatException">Malformed.</exception>
    /// <exception cref="SshAgentException">The agent answered with a failure.</exception>
    public static IReadOnlyList<AgentIdentity> DecodeIdentities(ReadOnlySpan<byte> message)
    {
        var reader = Expect(message, IdentitiesAnswer, "identities answer");
        var count = reader.ReadUInt32("identity count");
        if (count > MaxIdentities)
        {
            throw new SshFormatException($"identity count: {count} is more than {MaxIdentities}");
        }
        var identities = new List<AgentIdentity>((int)Math.Min(count, 64));
        for (var i = 0; i < count; i++)
        {
            var blob = reader.ReadBytes("identity key blob");
            var comment = reader.ReadUtf8("identity comment");
            identities.Add(ParseIdentity(blob, comment));
        }
        reader.EnsureEnd("identities answer");
        return identities;
    }

    /// <summary>Decodes a sign response into its signature.</summary>
    public static SshSignature DecodeSignResponse(ReadOnlySpan<byte> message)
    {
        var reader = Expect(message, SignResponse, "sign response");
        var signature = SshSignature.Parse(reader.ReadStringSpan("signature"));
        reader.EnsureEnd("sign response");
        return signature;
    }

    /// <summary>Checks a reply is SSH_AGENT_SUCCESS.</summary>
    public static void DecodeSuccess(ReadOnlySpan<byte> message, string request)
    {
        var reader = Expect(message, Success, request);
        reader.EnsureEnd(request);
    }

    private static SshReader Expect(ReadOnlySpan<byte> message, byte type, string what)
    {
        var reader = new SshReader(message);
        var actual = reader.ReadByte("agent message type");
        if (actual == Failure)
        {
            throw new SshAgentException($"the agent refused the {what} request");
        }
        if (actual != type)
        {
            throw new SshFormatException($"agent message type: {actual} where a {what} ({type}) was expected");
        }
        return reader;
    }

    private static AgentIdentity ParseIdentity(byte[] blob, string comment)
    {
        try
        {
            var typeReader = new SshReader(blob);
            var type = typeReader.ReadUtf8("identity key type");
            return SshKeyTypes.IsCertificateType(type)
                ? new AgentIdentity(blob, comment, null, SshCertificateParser.ParseBlob(blob))
                : new AgentIdentity(blob, comment, SshPublicKeyParser.ParseBlob(blob), null);
        }
        catch (SshFormatException)
        {
            // A key type we do not support (DSA, FIDO keys) is listed with its blob only.
            return new AgentIdentity(blob, comment, null, null);
        }
    }
}
