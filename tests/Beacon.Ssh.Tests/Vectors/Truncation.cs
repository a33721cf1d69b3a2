namespace Beacon.Ssh.Tests.Vectors;

/// <summary>Runs a parser on every proper prefix of valid input and asserts each is refused with SshFormatException alone.</summary>
public static class Truncation
{
    public static void EveryPrefixIsRefused(byte[] valid, Action<byte[]> parse)
    {
        for (var length = 0; length < valid.Length; length++)
        {
            var prefix = valid[..length];
            var error = Record.Exception(() => parse(prefix));
            Assert.True(error?.GetType() == typeof(SshFormatException), $"prefix of {length}/{valid.Length} bytes: {Describe(error)}");
        }
    }

    public static void EveryPrefixIsRefused(string valid, Action<string> parse, int upTo)
    {
        for (var length = 0; length < upTo; length++)
        {
            var prefix = valid[..length];
            var error = Record.Exception(() => parse(prefix));
            Assert.True(error?.GetType() == typeof(SshFormatException), $"prefix of {length}/{valid.Length} characters: {Describe(error)}");
        }
    }

    private static string Describe(Exception? error) => error is null ? "accepted" : $"{error.GetType().Name}: {error.Message}";
}
