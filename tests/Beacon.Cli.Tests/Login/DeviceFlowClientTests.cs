using System.Net;
using System.Text;
using Beacon.Cli.Login;

namespace Beacon.Cli.Tests.Login;

/// <summary>
/// RFC 8628 polling rules with scripted provider answers: the interval is honoured, slow_down adds 5 s for
/// this and every later poll, and each terminal error has its own message. Waits are recorded, not slept.
/// </summary>
public sealed class DeviceFlowClientTests
{
    private static readonly DeviceFlowEndpoints Endpoints = new(new Uri("https://idp.test/device"), new Uri("https://idp.test/token"), "beacon-cli", []);

    private sealed class ScriptedProvider(params (HttpStatusCode Status, string Json)[] answers) : HttpMessageHandler
    {
        private int _next;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var (status, json) = answers[Math.Min(_next++, answers.Length - 1)];
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }

    private static async Task<(List<TimeSpan> Waits, Exception? Failure, DeviceFlowTokens? Tokens)> PollAsync(int interval, params (HttpStatusCode, string)[] answers)
    {
        var waits = new List<TimeSpan>();
        using var http = new HttpClient(new ScriptedProvider(answers));
        var client = new DeviceFlowClient(http, (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        });
        var authorization = new DeviceAuthorization("dc", "ABCD-EFGH", "https://idp.test/device", null, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(interval));
        try
        {
            var tokens = await client.PollAsync(Endpoints, authorization, _ => { }, TimeProvider.System, CancellationToken.None);
            return (waits, null, tokens);
        }
        catch (CliException e)
        {
            return (waits, e, null);
        }
    }

    private static (HttpStatusCode, string) Error(string code) => (HttpStatusCode.BadRequest, $"{{\"error\":\"{code}\"}}");

    [Fact]
    public async Task PendingPollsAtTheIntervalAndSlowDownAddsFiveSecondsForGood()
    {
        var (waits, failure, tokens) = await PollAsync(2, Error("authorization_pending"), Error("slow_down"), Error("authorization_pending"),
            (HttpStatusCode.OK, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        Assert.Null(failure);
        Assert.Equal("at", tokens!.AccessToken);
        Assert.Equal([2, 2, 7, 7], waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public async Task GitHubStyleSlowDownWithAHigherIntervalUsesIt()
    {
        var (waits, _, _) = await PollAsync(5, (HttpStatusCode.OK, "{\"error\":\"slow_down\",\"interval\":15}"), (HttpStatusCode.OK, "{\"access_token\":\"gho_x\"}"));
        Assert.Equal([5, 15], waits.Select(w => (int)w.TotalSeconds));
    }

    [Theory]
    [InlineData("expired_token", "the login code expired before it was approved; run `beacon login` again")]
    [InlineData("access_denied", "the login was denied at the identity provider")]
    [InlineData("invalid_client", "the identity provider refused the login: invalid_client")]
    public async Task TerminalErrorsEndWithTheirMessage(string error, string message)
    {
        var (_, failure, _) = await PollAsync(1, Error("authorization_pending"), Error(error));
        Assert.Equal(message, failure?.Message);
    }

    [Fact]
    public async Task AnAnswerThatIsNotJsonIsAOneLineError()
    {
        var (_, failure, _) = await PollAsync(1, (HttpStatusCode.BadGateway, "<html>bad gateway</html>"));
        Assert.Equal("the identity provider at https://idp.test answered HTTP 502 with no JSON", failure?.Message);
    }

    [Fact]
    public async Task TheDeviceCodeRequestSendsClientIdAndScope()
    {
        var provider = new ScriptedProvider((HttpStatusCode.OK,
            "{\"device_code\":\"dc\",\"user_code\":\"WDJB-MJHT\",\"verification_uri\":\"https://idp.test/device\",\"expires_in\":1800,\"interval\":5}"));
        using var http = new HttpClient(provider);
        var endpoints = Endpoints with { ExtraParameters = [new("scope", "openid api"), new("resource", "urn:beacon:api")] };
        var authorization = await new DeviceFlowClient(http).AuthorizeAsync(endpoints, CancellationToken.None);
        Assert.Equal("WDJB-MJHT", authorization.UserCode);
        Assert.Equal(TimeSpan.FromSeconds(5), authorization.Interval);
        Assert.Equal("client_id=beacon-cli&scope=openid+api&resource=urn%3Abeacon%3Aapi", Assert.Single(provider.Bodies));
    }
}
