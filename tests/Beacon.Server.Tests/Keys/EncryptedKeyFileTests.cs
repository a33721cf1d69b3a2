using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Beacon.Server.Keys;
using Beacon.Ssh.Keys;

namespace Beacon.Server.Tests.Keys;

public sealed class EncryptedKeyFileTests
{
    private static readonly byte[] Password = "correct horse battery staple"u8.ToArray();

    // The lowest count the format allows keeps these tests fast; the CLI uses the default.
    private const int Iterations = EncryptedKeyFile.MinIterations;

    [Theory]
    [InlineData(SshKeyAlgorithm.Ed25519, 0)]
    [InlineData(SshKeyAlgorithm.Ecdsa, 384)]
    [InlineData(SshKeyAlgorithm.Rsa, 3072)]
    public void EncryptedKeyDecryptsToTheSameKeyAndComment(SshKeyAlgorithm algorithm, int bits)
    {
        using var key = SshPrivateKey.Generate(algorithm, bits);

        var file = EncryptedKeyFile.Encrypt(key, Password, "user CA", Iterations);
        using var decrypted = EncryptedKeyFile.Decrypt(file, Password, out var comment);

        Assert.Equal(key.PublicKey, decrypted.PublicKey);
        Assert.Equal("user CA", comment);
        var data = "sign me"u8.ToArray();
        Assert.True(key.PublicKey.Verify(data, decrypted.Sign(data)));
    }

    [Fact]
    public void FileHoldsNoPlaintextAndIsFreshEachTime()
    {
        using var key = Ed25519PrivateKey.Generate();

        var first = EncryptedKeyFile.Encrypt(key, Password, "marker-comment", Iterations);
        var second = EncryptedKeyFile.Encrypt(key, Password, "marker-comment", Iterations);

        var text = Encoding.Latin1.GetString(first);
        Assert.DoesNotContain("OPENSSH", text);
        Assert.DoesNotContain("marker-comment", text);
        Assert.DoesNotContain("ssh-ed25519", text);
        // Random salt and nonce: the same key and password never give the same bytes.
        Assert.NotEqual(first, second);
        Assert.StartsWith("beacon-key\0\u0001\u0001", text);
    }

    [Fact]
    public void WrongPasswordGivesTheCleanError()
    {
        using var key = Ed25519PrivateKey.Generate();
        var file = EncryptedKeyFile.Encrypt(key, Password, "", Iterations);

        var e = Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt(file, "correct horse battery stapler"u8));

        Assert.Equal("wrong password or corrupted key file", e.Message);
    }

    public static TheoryData<string, int> TamperedPositions() => new()
    {
        { "magic", 0 },
        { "version", 11 },
        { "kdf", 12 },
        { "iterations (lowest byte)", 16 },
        { "cipher", 17 },
        { "salt", 18 },
        { "nonce", 34 },
        { "length", 49 },
        { "first ciphertext byte", 50 },
        { "middle ciphertext byte", 200 },
        { "tag (last byte)", -1 },
    };

    [Theory]
    [MemberData(nameof(TamperedPositions))]
    public void TamperedFileGivesTheSameCleanError(string field, int position)
    {
        using var key = Ed25519PrivateKey.Generate();
        var file = EncryptedKeyFile.Encrypt(key, Password, "", Iterations);
        file[position < 0 ? file.Length + position : position] ^= 0x01;

        var e = Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt(file, Password));

        Assert.True(e.Message == EncryptedKeyFile.FailureMessage, field);
    }

    [Fact]
    public void EveryTruncationAndAnAppendedByteGiveTheSameCleanError()
    {
        using var key = Ed25519PrivateKey.Generate();
        var file = EncryptedKeyFile.Encrypt(key, Password, "", Iterations);

        for (var length = 0; length < file.Length; length++)
        {
            var e = Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt(file.AsSpan(0, length), Password));
            Assert.Equal(EncryptedKeyFile.FailureMessage, e.Message);
        }
        Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt([.. file, 0], Password));
    }

    [Fact]
    public void HugeIterationCountInATamperedHeaderIsRefusedBeforeAnyWork()
    {
        using var key = Ed25519PrivateKey.Generate();
        var file = EncryptedKeyFile.Encrypt(key, Password, "", Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(13), uint.MaxValue);
        var watch = Stopwatch.StartNew();

        Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt(file, Password));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void LowIterationCountIsRefusedEvenWithTheRightPassword()
    {
        using var key = Ed25519PrivateKey.Generate();
        var file = EncryptedKeyFile.Encrypt(key, Password, "", Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(13), 1000);

        Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt(file, Password));
    }

    [Fact]
    public void OtherFormatsGiveTheSameCleanError()
    {
        Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt([], Password));
        Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt("-----BEGIN OPENSSH PRIVATE KEY-----\n"u8, Password));
        Assert.Throws<EncryptedKeyFileException>(() => EncryptedKeyFile.Decrypt(new byte[EncryptedKeyFile.MaxFileLength + 1], Password));
    }

    [Fact]
    public void EncryptRefusesAnEmptyPasswordAndWeakIterationCounts()
    {
        using var key = Ed25519PrivateKey.Generate();

        Assert.Throws<ArgumentException>(() => EncryptedKeyFile.Encrypt(key, [], "", Iterations));
        Assert.Throws<ArgumentOutOfRangeException>(() => EncryptedKeyFile.Encrypt(key, Password, "", EncryptedKeyFile.MinIterations - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EncryptedKeyFile.Encrypt(key, Password, "", EncryptedKeyFile.MaxIterations + 1));
    }

    [Fact]
    public void DefaultIterationCountIsStoredInTheHeader()
    {
        using var key = Ed25519PrivateKey.Generate();

        var file = EncryptedKeyFile.Encrypt(key, Password);

        Assert.Equal((uint)EncryptedKeyFile.DefaultIterations, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(13)));
        using var decrypted = EncryptedKeyFile.Decrypt(file, Password);
        Assert.Equal(key.PublicKey, decrypted.PublicKey);
    }
}
