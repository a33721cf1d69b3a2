using System.Text;
using Beacon.Server.Ca;
using Beacon.Testing;

namespace Beacon.Server.Tests.Ca;

public sealed class PasswordFileTests
{
    [Theory]
    [InlineData("secret\n", "secret")]
    [InlineData("secret", "secret")]
    [InlineData("secret\r\n", "secret")]
    [InlineData("two words \nsecond line ignored\n", "two words ")]
    public void FirstLineWithoutItsLineEndingIsThePassword(string content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.WritePrivate("pw", content);

        Assert.Equal(expected, Encoding.UTF8.GetString(PasswordFile.Read(path)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\nsecret\n")]
    public void EmptyPasswordIsRefused(string content)
    {
        using var dir = new TempDirectory();
        var path = dir.WritePrivate("pw", content);

        var e = Assert.Throws<CaException>(() => PasswordFile.Read(path));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void MissingFileIsACleanError() =>
        Assert.Contains("no such password file", Assert.Throws<CaException>(() => PasswordFile.Read("/nonexistent/pw")).Message);

    [Fact]
    public void HugeFileIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.WritePrivate("pw", new string('x', PasswordFile.MaxLength + 1));

        Assert.Throws<CaException>(() => PasswordFile.Read(path));
    }
}
