using Beacon.Server.Identity;

namespace Beacon.Server.Tests.Identity;

public sealed class LinkHeaderTests
{
    // GitHub's documented example (docs "Using pagination in the REST API").
    private const string GitHubExample =
        "<https://api.github.com/repositories/1300192/issues?page=2>; rel=\"prev\", <https://api.github.com/repositories/1300192/issues?page=4>; rel=\"next\", " +
        "<https://api.github.com/repositories/1300192/issues?page=515>; rel=\"last\", <https://api.github.com/repositories/1300192/issues?page=1>; rel=\"first\"";

    [Theory]
    [InlineData("GitHub's example, next", GitHubExample, "next", "https://api.github.com/repositories/1300192/issues?page=4")]
    [InlineData("GitHub's example, first", GitHubExample, "first", "https://api.github.com/repositories/1300192/issues?page=1")]
    [InlineData("last page has no next", "<https://x/a?page=1>; rel=\"first\", <https://x/a?page=2>; rel=\"prev\"", "next", null)]
    [InlineData("several relation types", "<https://x/a?page=3>; rel=\"last next\"", "next", "https://x/a?page=3")]
    [InlineData("unquoted, other parameters", "<https://x/a?page=3>; title=\"p, q\"; rel=next", "next", "https://x/a?page=3")]
    [InlineData("commas inside the target", "<https://x/a?ids=1,2&page=2>; rel=\"next\"", "next", "https://x/a?ids=1,2&page=2")]
    [InlineData("unterminated target", "<https://x/a?page=2; rel=\"next\"", "next", null)]
    [InlineData("no target", "rel=\"next\"", "next", null)]
    [InlineData("empty", "", "next", null)]
    public void FindsTheTargetOfTheRelation(string description, string header, string relation, string? expected)
    {
        Assert.True(LinkHeader.Find(header, relation) == expected, description);
    }
}
