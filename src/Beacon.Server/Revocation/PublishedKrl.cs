namespace Beacon.Server.Revocation;

/// <summary>One KRL version as served: its bytes, their SSHSIG signature and the strong ETags of both.</summary>
/// <param name="Version">The stored KRL version (also the KRL's krl_version field).</param>
/// <param name="Bytes">The KRL in OpenSSH's binary format.</param>
/// <param name="ETag">A strong ETag of the bytes (quoted SHA-256).</param>
/// <param name="Signature">The armored SSHSIG of <paramref name="Bytes"/> by the revocation key.</param>
/// <param name="SignatureETag">A strong ETag of the signature text.</param>
public sealed record PublishedKrl(long Version, byte[] Bytes, string ETag, string Signature, string SignatureETag);
