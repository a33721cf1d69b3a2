using Beacon.Diag.Alerts;
using Beacon.Diag.Hosting;

namespace Beacon.Diag.Tests.Alerts;

public sealed class AlertConfigurationTests
{
    public static TheoryData<string, AlertRuleOptions, string> BadRules() => new()
    {
        { "no name", new AlertRuleOptions { Kind = "not-seen", After = TimeSpan.FromHours(1) }, "Name" },
        { "unknown kind", new AlertRuleOptions { Name = "x", Kind = "cpu" }, "Kind" },
        { "threshold above one", new AlertRuleOptions { Name = "x", Kind = "failure-rate", Threshold = 2, Window = TimeSpan.FromMinutes(5) }, "Threshold" },
        { "no window", new AlertRuleOptions { Name = "x", Kind = "failure-rate", Threshold = 0.5 }, "Window" },
        { "zero minimum", new AlertRuleOptions { Name = "x", Kind = "failure-rate", Threshold = 0.5, Window = TimeSpan.FromMinutes(5), MinimumCount = 0 }, "MinimumCount" },
        { "bad command", new AlertRuleOptions { Name = "x", Kind = "failure-rate", Command = "Bad Command", Threshold = 0.5, Window = TimeSpan.FromMinutes(5) }, "Command" },
        { "no duration", new AlertRuleOptions { Name = "x", Kind = "not-seen" }, "After" },
        { "unknown client", new AlertRuleOptions { Name = "x", Kind = "not-seen", ClientName = "beacon-server", After = TimeSpan.FromHours(1) }, "ClientName" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void BadRuleIsRefusedNamingTheKey(string description, AlertRuleOptions rule, string key)
    {
        var e = Assert.Throws<DiagConfigurationException>(() => AlertRules.From([rule]));
        Assert.True(e.Message.Contains($"Diag:Alerts:Rules:0:{key}", StringComparison.Ordinal), $"{description}: {e.Message}");
    }

    [Fact]
    public void DuplicateRuleNamesAreRefused()
    {
        var rule = new AlertRuleOptions { Name = "same", Kind = "not-seen", After = TimeSpan.FromHours(1) };
        Assert.Throws<DiagConfigurationException>(() => AlertRules.From([rule, rule]));
    }

    [Fact]
    public void WebhookMustBeHttp()
    {
        var options = new DiagOptions { DataDir = "/tmp/x", Alerts = { WebhookUrl = "file:///etc/passwd" } };
        var e = Assert.Throws<DiagConfigurationException>(() => DiagOptionsValidator.Validate(options));
        Assert.Contains("WebhookUrl", e.Message, StringComparison.Ordinal);
    }
}
