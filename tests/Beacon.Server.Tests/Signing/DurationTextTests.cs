using Beacon.Server.Signing;

namespace Beacon.Server.Tests.Signing;

public sealed class DurationTextTests
{
    private static readonly TimeSpan Max = TimeSpan.FromDays(366);

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("8h", 28800)]
    [InlineData("7d", 604800)]
    [InlineData("2w", 1209600)]
    [InlineData("1h30m", 5400)]
    [InlineData("366d", 31622400)]
    public void DurationIsParsed(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, Max));

    [Theory]
    [InlineData("empty", "")]
    [InlineData("no unit", "15")]
    [InlineData("an unknown unit", "15x")]
    [InlineData("a negative number", "-15m")]
    [InlineData("a space", "15 m")]
    [InlineData("an upper-case unit", "15M")]
    [InlineData("zero", "0s")]
    [InlineData("beyond the maximum", "367d")]
    [InlineData("a number too long to be sane", "99999999999999999999s")]
    [InlineData("a fraction", "1.5h")]
    public void MalformedDurationIsRefused(string description, string text)
    {
        _ = description;
        Assert.Throws<FormatException>(() => DurationText.Parse(text, Max));
    }

    [Theory]
    [InlineData(5400, "1h30m")]
    [InlineData(86400, "1d")]
    [InlineData(45, "45s")]
    public void DurationIsFormattedShortest(int seconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));
}
