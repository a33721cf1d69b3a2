using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Beacon.Ssh;
using Beacon.Ssh.Keys;
using Beacon.Ssh.PrivateKeys;

namespace Beacon.Server.Keys;

/// <summary>
/// A private key encrypted at rest under a password: the openssh-key-v1 text of the key, sealed with
/// AES-256-GCM under a key derived by PBKDF2-HMAC-SHA256. Used for the offline CA's keys, the server's
/// CA keys (files and the ca_keys table), the revocation key and, through the bytes form, the
/// bundle-signing OpenPGP key.
/// </summary>
/// <remarks>
/// Format version 1, integers big-endian:
/// <code>
/// magic       11 bytes  "beacon-key\0"
/// version      1 byte   1
/// kdf          1 byte   1 = PBKDF2-HMAC-SHA256
/// iterations   uint32   MinIterations..MaxIterations
/// cipher       1 byte   1 = AES-256-GCM
/// salt        16 bytes  random
/// nonce       12 bytes  random
/// length       uint32   ciphertext length, at most MaxPlaintextLength
/// ciphertext  length bytes
/// tag         16 bytes
/// </code>
/// The associated data is every byte before the ciphertext, so the header cannot be altered (a lower
/// iteration count, another salt) without the tag failing.
/// </remarks>
public static class EncryptedKeyFile
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Files below this are refused, written or read: a cheap KDF makes the password easy to guess.</summary>
    public const int MinIterations = 100_000;

    /// <summary>Sanity bound: a tampered header must not make us spin for minutes before the tag check fails.</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>Sanity bound: the openssh-key-v1 text of the largest key we read.</summary>
    public const int MaxPlaintextLength = OpenSshPrivateKeyFile.MaxFileLength;

    public const string FailureMessage = "wrong password or corrupted key file";

    private const byte Version = 1;
    private const byte KdfPbkdf2Sha256 = 1;
    private const byte CipherAes256Gcm = 1;
    private const int SaltLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int KeyLength = 32;
    private static ReadOnlySpan<byte> Magic => "beacon-key\0"u8;
    private static readonly int HeaderLength = Magic.Length + 1 + 1 + 4 + 1 + SaltLength + NonceLength + 4;

    /// <summary>Sanity bound: the longest file Decrypt reads.</summary>
    public static int MaxFileLength => HeaderLength + MaxPlaintextLength + TagLength;

    /// <summary>Encrypts a private key under a password.</summary>
    /// <exception cref="ArgumentException">An empty password or an iteration count outside the bounds.</exception>
    public static byte[] Encrypt(SshPrivateKey key, ReadOnlySpan<byte> password, string comment = "", int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(key);
        var plaintext = Encoding.UTF8.GetBytes(OpenSshPrivateKeyFile.Write(key, comment));
        try
        {
            return EncryptBytes(plaintext, password, iterations);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Encrypts any secret of at most <see cref="MaxPlaintextLength"/> bytes (the bundle-signing OpenPGP key)
    /// in the same format; only <see cref="DecryptBytes"/> reads it back.
    /// </summary>
    /// <exception cref="ArgumentException">An empty password, an iteration count outside the bounds, or too long a secret.</exception>
    public static byte[] EncryptBytes(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> password, int iterations = DefaultIterations)
    {
        if (password.IsEmpty)
        {
            throw new ArgumentException("the password is empty", nameof(password));
        }
        if (iterations is < MinIterations or > MaxIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), $"iterations must be {MinIterations} to {MaxIterations}");
        }
        if (plaintext.Length > MaxPlaintextLength)
        {
            throw new ArgumentException($"at most {MaxPlaintextLength} bytes", nameof(plaintext));
        }
        var file = new byte[HeaderLength + plaintext.Length + TagLength];
        Span<byte> derived = stackalloc byte[KeyLength];
        try
        {
            var header = file.AsSpan(0, HeaderLength);
            var position = 0;
            Magic.CopyTo(header);
            position += Magic.Length;
            header[position++] = Version;
            header[position++] = KdfPbkdf2Sha256;
            BinaryPrimitives.WriteUInt32BigEndian(header[position..], (uint)iterations);
            position += 4;
            header[position++] = CipherAes256Gcm;
            var salt = header.Slice(position, SaltLength);
            RandomNumberGenerator.Fill(salt);
            position += SaltLength;
            var nonce = header.Slice(position, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            position += NonceLength;
            BinaryPrimitives.WriteUInt32BigEndian(header[position..], (uint)plaintext.Length);

            Rfc2898DeriveBytes.Pbkdf2(password, salt, derived, iterations, HashAlgorithmName.SHA256);
            using var aes = new AesGcm(derived, TagLength);
            aes.Encrypt(nonce, plaintext, file.AsSpan(HeaderLength, plaintext.Length), file.AsSpan(HeaderLength + plaintext.Length), header);
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    /// <summary>Decrypts a file made by <see cref="Encrypt"/>.</summary>
    /// <exception cref="EncryptedKeyFileException">
    /// A wrong password, or a file that is truncated, tampered with, of another format or version: the
    /// message is the same for all, <see cref="FailureMessage"/>.
    /// </exception>
    public static SshPrivateKey Decrypt(ReadOnlySpan<byte> file, ReadOnlySpan<byte> password) => Decrypt(file, password, out _);

    public static SshPrivateKey Decrypt(ReadOnlySpan<byte> file, ReadOnlySpan<byte> password, out string comment)
    {
        var plaintext = DecryptBytes(file, password);
        try
        {
            return OpenSshPrivateKeyFile.Read(Encoding.UTF8.GetString(plaintext), out comment);
        }
        catch (SshFormatException e)
        {
            throw new EncryptedKeyFileException(e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Decrypts a file made by <see cref="EncryptBytes"/>; the caller zeroes the result when done.</summary>
    /// <exception cref="EncryptedKeyFileException">As <see cref="Decrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</exception>
    public static byte[] DecryptBytes(ReadOnlySpan<byte> file, ReadOnlySpan<byte> password)
    {
        if (file.Length < HeaderLength + TagLength || file.Length > MaxFileLength || !file.StartsWith(Magic))
        {
            throw new EncryptedKeyFileException();
        }
        var header = file[..HeaderLength];
        var position = Magic.Length;
        var version = header[position++];
        var kdf = header[position++];
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(header[position..]);
        position += 4;
        var cipher = header[position++];
        var salt = header.Slice(position, SaltLength);
        position += SaltLength;
        var nonce = header.Slice(position, NonceLength);
        position += NonceLength;
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[position..]);
        // Every header field is checked before any work: the iteration bound stops a tampered file from
        // costing minutes of PBKDF2, the length check stops a read past the data.
        if (version != Version || kdf != KdfPbkdf2Sha256 || cipher != CipherAes256Gcm
            || iterations is < MinIterations or > MaxIterations
            || length > MaxPlaintextLength || file.Length != HeaderLength + (long)length + TagLength)
        {
            throw new EncryptedKeyFileException();
        }
        var ciphertext = file.Slice(HeaderLength, (int)length);
        var tag = file.Slice(HeaderLength + (int)length, TagLength);

        var plaintext = new byte[length];
        Span<byte> derived = stackalloc byte[KeyLength];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, derived, (int)iterations, HashAlgorithmName.SHA256);
            using (var aes = new AesGcm(derived, TagLength))
            {
                aes.Decrypt(nonce, ciphertext, tag, plaintext, header);
            }
            return plaintext;
        }
        catch (Exception e) when (e is AuthenticationTagMismatchException or CryptographicException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new EncryptedKeyFileException(e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    /// <summary>Whether the bytes start like a file of this format (no other check).</summary>
    public static bool HasMagic(ReadOnlySpan<byte> file) => file.StartsWith(Magic);
}

/// <summary>
/// An encrypted key file that cannot be opened. The message never says which check failed, so it tells
/// an attacker nothing about a guessed password or an edited file.
/// </summary>
public sealed class EncryptedKeyFileException : Exception
{
    public EncryptedKeyFileException() : base(EncryptedKeyFile.FailureMessage) { }

    public EncryptedKeyFileException(Exception inner) : base(EncryptedKeyFile.FailureMessage, inner) { }
}
