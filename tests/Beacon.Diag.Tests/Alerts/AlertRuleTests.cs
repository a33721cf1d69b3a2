using System.Net;
using Beacon.Diag.Alerts;
using Beacon.Diag.Storage;
using Beacon.Diag.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Beacon.Diag.Tests.Alerts;

/// <summary>Alert rules on a fake clock: synthetic events meet a rule or not; the webhook hears each alert once.</summary>
public sealed class AlertRuleTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly WebhookReceiver _webhook = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly DiagFactory _factory;
    private readonly HttpClient _client;

    public AlertRuleTests()
    {
        _factory = new DiagFactory(new Dictionary<string, string?>
        {
            ["Diag:Alerts:WebhookUrl"] = _webhook.Url,
            ["Diag:Alerts:EvaluationInterval"] = "00:01:00",
            ["Diag:Alerts:Rules:0:Name"] = "inspect-failing",
            ["Diag:Alerts:Rules:0:Kind"] = "failure-rate",
            ["Diag:Alerts:Rules:0:Command"] = "inspect",
            ["Diag:Alerts:Rules:0:Threshold"] = "0.5",
            ["Diag:Alerts:Rules:0:Window"] = "00:15:00",
            ["Diag:Alerts:Rules:0:MinimumCount"] = "4",
            ["Diag:Alerts:Rules:1:Name"] = "host-silent",
            ["Diag:Alerts:Rules:1:Kind"] = "not-seen",
            ["Diag:Alerts:Rules:1:ClientName"] = "beacon-host",
            ["Diag:Alerts:Rules:1:After"] = "01:00:00",
            ["Diag:Limits:BatchesPerClientPerMinute"] = "100000",
        })
        {
            OverrideServices = services => services.AddSingleton<TimeProvider>(_clock),
        };
        _client = _factory.CreateClient();
    }

    private AlertEvaluator Evaluator => _factory.Services.GetRequiredService<AlertEvaluator>();

    private async Task SendAsync(string command, int ok, int failed, string client = Batches.ClientA, string name = "beacon")
    {
        for (var i = 0; i < ok + failed; i++)
        {
            using var response = await Batches.PostAsync(_client, Batches.Valid(client, name, command: command, ok: i >= failed));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    [Fact]
    public async Task FailureRateAboveThresholdFiresAndTheWebhookReceivesIt()
    {
        await SendAsync("inspect", ok: 1, failed: 3);

        var firing = await Evaluator.EvaluateAsync(CancellationToken.None);

        var alert = Assert.Single(firing);
        Assert.Equal(("inspect-failing", "inspect"), (alert.Rule, alert.Subject));
        var posted = await _webhook.NextAsync();
        Assert.Equal("POST", posted["_method"]!.GetValue<string>());
        Assert.StartsWith("application/json", posted["_content_type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("firing", posted["status"]!.GetValue<string>());
        Assert.Equal("inspect-failing", posted["rule"]!.GetValue<string>());
        Assert.Equal("failure-rate", posted["kind"]!.GetValue<string>());
        Assert.Equal("inspect", posted["subject"]!.GetValue<string>());
        Assert.Contains("3 of 4 failed", posted["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("beacon_diag_alerts_firing 1\n", await _client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureRateAtOrBelowThresholdStaysQuiet()
    {
        await SendAsync("inspect", ok: 2, failed: 2);

        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));
        Assert.Empty(_webhook.Drain());
    }

    [Fact]
    public async Task FewerEventsThanTheMinimumStayQuiet()
    {
        await SendAsync("inspect", ok: 0, failed: 3);

        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OtherCommandsDoNotCountForACommandRule()
    {
        await SendAsync("login", ok: 0, failed: 10);

        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EventsOutsideTheWindowDoNotCount()
    {
        await SendAsync("inspect", ok: 0, failed: 4);
        _clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task FiringAlertIsSentOnceWhileItStaysFiringAndResolvesWhenTheConditionClears()
    {
        await SendAsync("inspect", ok: 0, failed: 4);
        Assert.Single(await Evaluator.EvaluateAsync(CancellationToken.None));
        await _webhook.NextAsync();

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await Evaluator.EvaluateAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await Evaluator.EvaluateAsync(CancellationToken.None));

        var store = _factory.Services.GetRequiredService<IDiagStore>();
        Assert.Single(await store.OpenAlertsAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));
        Assert.Empty(await store.OpenAlertsAsync(CancellationToken.None));
        var recent = Assert.Single(await store.RecentAlertsAsync(10, CancellationToken.None));
        Assert.NotNull(recent.ResolvedAt);

        // It fires again, with a new webhook, when the condition comes back.
        await SendAsync("inspect", ok: 0, failed: 4);
        Assert.Single(await Evaluator.EvaluateAsync(CancellationToken.None));
        Assert.Equal("inspect", (await _webhook.NextAsync())["subject"]!.GetValue<string>());
        Assert.Empty(_webhook.Drain());
    }

    [Fact]
    public async Task HostNotSeenForLongerThanTheDurationFires()
    {
        const string host = "host-0123456789abcdef";
        await SendAsync("sync", ok: 1, failed: 0, client: host, name: "beacon-host");
        await SendAsync("inspect", ok: 1, failed: 0);
        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(2));
        var alert = Assert.Single(await Evaluator.EvaluateAsync(CancellationToken.None));
        Assert.Equal(("host-silent", host), (alert.Rule, alert.Subject));
        var posted = await _webhook.NextAsync();
        Assert.Equal("not-seen", posted["kind"]!.GetValue<string>());
        Assert.Equal(host, posted["subject"]!.GetValue<string>());

        // Seen again: the alert resolves.
        await SendAsync("sync", ok: 1, failed: 0, client: host, name: "beacon-host");
        Assert.Empty(await Evaluator.EvaluateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RulesAreEvaluatedPeriodicallyOnTheInjectedClock()
    {
        await SendAsync("inspect", ok: 0, failed: 4);

        // The loop waits on the fake clock; moving it one interval at a time runs an evaluation.
        var received = _webhook.NextAsync();
        while (!received.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(received, Task.Delay(100));
            if (_clock.GetUtcNow() > Start.AddMinutes(14))
            {
                break;
            }
        }
        Assert.Equal("inspect-failing", (await received)["rule"]!.GetValue<string>());
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _webhook.Dispose();
    }
}
