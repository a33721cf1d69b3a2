using System.Net;
using Beacon.Server.Policy;
using Beacon.Server.Tests.Fixtures;
using Beacon.Ssh.Keys;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Tests.Hosts;

/// <summary>The Hosts rules: default deny, every name allowed for one of the host's groups, the strictest lifetime, and checks at start.</summary>
public sealed class HostPolicyTests
{
    private static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);

    private static PolicyDocument Document(params HostRule[] rules) => new() { Hosts = [.. rules] };

    private static HostRule Rule(string group, string ttl, params string[] names) => new() { Group = group, Names = [.. names], MaxTtl = ttl };

    public static TheoryData<string, string[], string[], string?, string?> Cases() => new()
    {
        { "ok-one-group", ["prod"], ["web1.prod.example.com"], "720h", null },
        { "ok-two-groups-strictest-ttl", ["prod", "ci"], ["web1.prod.example.com", "b1.ci.example.com"], "24h", null },
        { "ok-best-rule-of-a-name", ["prod", "edge"], ["cdn.prod.example.com"], "720h", null },
        { "fail-no-rule-for-group", ["staging"], ["web1.prod.example.com"], null, "no Hosts rule of the policy covers group \"staging\"" },
        { "fail-name-outside", ["prod"], ["web1.example.org"], null, "host name \"web1.example.org\" is not allowed for group \"prod\"" },
        { "fail-one-name-outside", ["prod"], ["web1.prod.example.com", "x.ci.example.com"], null, "host name \"x.ci.example.com\"" },
        { "fail-suffix-is-not-a-match", ["prod"], ["prod.example.com.evil.org"], null, "is not allowed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluation(string description, string[] groups, string[] names, string? ttl, string? refusal)
    {
        var document = Document(
            Rule("prod", "720h", "*.prod.example.com"),
            Rule("ci", "24h", "*.ci.example.com"),
            Rule("edge", "1h", "cdn.prod.example.com"));
        var decision = HostPolicyEvaluator.Evaluate(document, groups, names, ThirtyDays);
        if (refusal is null)
        {
            Assert.True(decision.Refusal is null, $"{description}: {decision.Refusal}");
            Assert.Equal(Beacon.Server.Signing.DurationText.Parse(ttl!, ThirtyDays), decision.Ttl);
        }
        else
        {
            Assert.Null(decision.Ttl);
            Assert.Contains(refusal, decision.Refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AStoredRuleWhoseLifetimeNoLongerParsesRefusesRatherThanGuesses()
    {
        var decision = HostPolicyEvaluator.Evaluate(Document(Rule("prod", "60d", "*.prod.example.com")), ["prod"], ["a.prod.example.com"], ThirtyDays);
        Assert.Null(decision.Ttl);
        Assert.Contains("invalid MaxTtl \"60d\"", decision.Refusal, StringComparison.Ordinal);
    }

    public static TheoryData<string, HostRule, string> BadRules() => new()
    {
        { "fail-empty-group", Rule("", "720h", "*.example.com"), "Beacon:Policy:Hosts:0:Group" },
        { "fail-group-with-space", Rule("pro d", "720h", "*.example.com"), "Group \"pro d\"" },
        { "fail-no-names", Rule("prod", "720h"), "Names is empty" },
        { "fail-name-with-comma", Rule("prod", "720h", "a.example.com,b.example.com"), "Names \"a.example.com,b.example.com\"" },
        { "fail-bad-ttl", Rule("prod", "a month", "*.example.com"), "MaxTtl \"a month\" is not a duration" },
        { "fail-ttl-over-30-days", Rule("prod", "31d", "*.example.com"), "MaxTtl 31d is above the 30d limit" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void ABrokenRuleIsNamedWithWhatIsWrong(string description, HostRule rule, string message)
    {
        var errors = HostRuleValidator.Validate(Document(rule), ThirtyDays);
        Assert.True(errors.Any(e => e.Contains(message, StringComparison.Ordinal)), $"{description}: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void ALongerLifetimeIsAllowedWhenTheLimitIsRaised()
    {
        Assert.Empty(HostRuleValidator.Validate(Document(Rule("prod", "60d", "*.example.com")), TimeSpan.FromDays(90)));
        Assert.Empty(HostRuleValidator.Validate(Document(Rule("prod", "720h", "*.example.com", "web1")), ThirtyDays));
    }

    [Fact]
    public async Task TheServerRefusesToStartWithABrokenHostsRule()
    {
        await using var server = HostServer.Create(DatabaseTarget.Sqlite, new Beacon.Testing.FakeTimeProvider(DateTimeOffset.UtcNow),
            new Dictionary<string, string?> { ["Beacon:Policy:Hosts:1:MaxTtl"] = "45d" });
        var e = Assert.Throws<OptionsValidationException>(() => server.CreateClient());
        Assert.Contains("Beacon:Policy:Hosts:1:MaxTtl 45d is above the 30d limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLimitIsConfigurable()
    {
        var clock = new Beacon.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = HostServer.Create(DatabaseTarget.Sqlite, clock, new Dictionary<string, string?>
        {
            ["Beacon:Hosts:MaxCertificateTtl"] = "90d",
            ["Beacon:Policy:Hosts:0:MaxTtl"] = "60d",
        });
        using var client = server.CreateClient();
        var enrolled = await client.EnrollAsync(await server.MintHostTokenAsync(null, "prod"), ["long.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        Assert.Equal((ulong)(clock.GetUtcNow() + TimeSpan.FromDays(60)).ToUnixTimeSeconds(), enrolled.Certificates[0].ValidBefore);
    }

    [Fact]
    public async Task AMalformedEnrollmentBodyIsABadRequestAndUsesTheTokenUp()
    {
        await using var server = HostServer.Create(DatabaseTarget.Sqlite, new Beacon.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        using var client = server.CreateClient();
        var token = await server.MintHostTokenAsync(null, "prod");
        using var response = await client.PostAsync("/v1/hosts/enroll", token, new { names = new[] { "a.prod.example.com" }, bogus = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (status, detail) = await client.EnrollRawAsync(token, ["a.prod.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("already used", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminSavingABrokenHostsRuleGetsTheFieldAndNothingIsSaved()
    {
        await using var server = HostServer.Create(DatabaseTarget.Sqlite, new Beacon.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        using var client = server.CreateClient();
        object Document(string ttl) => new
        {
            document = new
            {
                policies = new[] { new { name = "tokens", subjects = new[] { new { provider = "token" } }, principals = new[] { "*" }, max_ttl = "1h" } },
                hosts = new[] { new { group = "edge", names = new[] { "*.edge.example.com" }, max_ttl = ttl } },
            },
        };
        using var broken = await client.PostAsync("/v1/admin/policies", Revocation.StaffDirectoryDouble.AdminToken, Document("60d"));
        var body = await broken.Content.ReadAsStringAsync();
        Assert.True(broken.StatusCode == HttpStatusCode.BadRequest, body);
        var errors = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Contains("above the 30d limit", errors.GetProperty("hosts[0].max_ttl")[0].GetString(), StringComparison.Ordinal);

        using var saved = await client.PostAsync("/v1/admin/policies", Revocation.StaffDirectoryDouble.AdminToken, Document("48h"));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var enrolled = await client.EnrollAsync(await server.MintHostTokenAsync(null, "edge"), ["cdn1.edge.example.com"], Ed25519PrivateKey.Generate().PublicKey);
        Assert.Equal(["edge"], enrolled.Groups);
    }
}
