using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Beacon.Ssh.Crypto;

/// <summary>
/// Ed25519 through OpenSSL's libcrypto, the library .NET itself uses on Linux. .NET has no Ed25519 of
/// its own; this binds the few EVP calls needed and nothing more.
/// </summary>
internal static partial class OpenSslEd25519
{
    private const string LibCrypto = "libcrypto.so.3";
    private const int EvpPkeyEd25519 = 1087;

    public const int PublicKeySize = 32;
    public const int SeedSize = 32;
    public const int SignatureSize = 64;

    public static SafeEvpPkeyHandle FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
        }
        var handle = EVP_PKEY_new_raw_private_key(EvpPkeyEd25519, IntPtr.Zero, seed, (nuint)seed.Length);
        return Check(handle, "EVP_PKEY_new_raw_private_key");
    }

    public static SafeEvpPkeyHandle FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }
        var handle = EVP_PKEY_new_raw_public_key(EvpPkeyEd25519, IntPtr.Zero, publicKey, (nuint)publicKey.Length);
        return Check(handle, "EVP_PKEY_new_raw_public_key");
    }

    public static byte[] GetPublicKey(SafeEvpPkeyHandle key)
    {
        var output = new byte[PublicKeySize];
        nuint length = (nuint)output.Length;
        if (EVP_PKEY_get_raw_public_key(key, output, ref length) != 1 || length != PublicKeySize)
        {
            throw new CryptographicException("EVP_PKEY_get_raw_public_key failed");
        }
        return output;
    }

    public static void Sign(SafeEvpPkeyHandle key, ReadOnlySpan<byte> data, Span<byte> signature)
    {
        if (signature.Length < SignatureSize)
        {
            throw new ArgumentException("The signature buffer must hold 64 bytes.", nameof(signature));
        }
        var ctx = EVP_MD_CTX_new();
        if (ctx == IntPtr.Zero)
        {
            throw new CryptographicException("EVP_MD_CTX_new failed");
        }
        try
        {
            if (EVP_DigestSignInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1)
            {
                throw new CryptographicException("EVP_DigestSignInit failed");
            }
            nuint length = SignatureSize;
            if (EVP_DigestSign(ctx, signature, ref length, data, (nuint)data.Length) != 1 || length != SignatureSize)
            {
                throw new CryptographicException("EVP_DigestSign failed");
            }
        }
        finally
        {
            EVP_MD_CTX_free(ctx);
        }
    }

    public static bool Verify(SafeEvpPkeyHandle key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }
        var ctx = EVP_MD_CTX_new();
        if (ctx == IntPtr.Zero)
        {
            throw new CryptographicException("EVP_MD_CTX_new failed");
        }
        try
        {
            if (EVP_DigestVerifyInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1)
            {
                throw new CryptographicException("EVP_DigestVerifyInit failed");
            }
            var result = EVP_DigestVerify(ctx, signature, (nuint)signature.Length, data, (nuint)data.Length);
            if (result != 1)
            {
                // A failed verification leaves an entry on OpenSSL's thread error queue; clear it so
                // it cannot surface later as the reason for an unrelated .NET cryptography error.
                ERR_clear_error();
            }
            return result == 1;
        }
        finally
        {
            EVP_MD_CTX_free(ctx);
        }
    }

    private static SafeEvpPkeyHandle Check(SafeEvpPkeyHandle handle, string call)
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            ERR_clear_error();
            throw new CryptographicException($"{call} failed");
        }
        return handle;
    }

    [LibraryImport(LibCrypto)]
    private static partial SafeEvpPkeyHandle EVP_PKEY_new_raw_private_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint keyLength);

    [LibraryImport(LibCrypto)]
    private static partial SafeEvpPkeyHandle EVP_PKEY_new_raw_public_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint keyLength);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_PKEY_get_raw_public_key(SafeEvpPkeyHandle key, Span<byte> output, ref nuint length);

    [LibraryImport(LibCrypto)]
    internal static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(LibCrypto)]
    private static partial IntPtr EVP_MD_CTX_new();

    [LibraryImport(LibCrypto)]
    private static partial void EVP_MD_CTX_free(IntPtr ctx);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestSignInit(IntPtr ctx, IntPtr pctx, IntPtr type, IntPtr engine, SafeEvpPkeyHandle key);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestSign(IntPtr ctx, Span<byte> signature, ref nuint signatureLength, ReadOnlySpan<byte> data, nuint dataLength);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestVerifyInit(IntPtr ctx, IntPtr pctx, IntPtr type, IntPtr engine, SafeEvpPkeyHandle key);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestVerify(IntPtr ctx, ReadOnlySpan<byte> signature, nuint signatureLength, ReadOnlySpan<byte> data, nuint dataLength);

    [LibraryImport(LibCrypto)]
    private static partial void ERR_clear_error();
}

/// <summary>Owns an OpenSSL EVP_PKEY and frees it once.</summary>
internal sealed class SafeEvpPkeyHandle : SafeHandle
{
    public SafeEvpPkeyHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpenSslEd25519.EVP_PKEY_free(handle);
        return true;
    }
}
