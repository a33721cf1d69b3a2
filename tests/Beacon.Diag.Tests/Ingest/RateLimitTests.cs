using System.Net;
using Beacon.Diag.Tests.Fixtures;

namespace Beacon.Diag.Tests.Ingest;

public sealed class RateLimitTests
{
    [Fact]
    public async Task FloodingClientGets429WithRetryAfterWhileAnotherClientIsServed()
    {
        using var factory = new DiagFactory(new Dictionary<string, string?>
        {
            ["Diag:Limits:BatchesPerClientPerMinute"] = "5",
            ["Diag:Limits:BatchesPerAddressPerMinute"] = "1000",
        });
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await Batches.PostAsync(client, Batches.Valid(Batches.ClientA));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotNull(refused);
        var retryAfter = Assert.Single(refused!.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        await Batches.ProblemAsync(refused);

        using var other = await Batches.PostAsync(client, Batches.Valid(Batches.ClientB));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Matches("beacon_diag_batches_refused_total\\{reason=\"rate_limited\"\\} 15", await client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task AddressLimitCapsAClientThatRotatesItsId()
    {
        using var factory = new DiagFactory(new Dictionary<string, string?>
        {
            ["Diag:Limits:BatchesPerClientPerMinute"] = "5",
            ["Diag:Limits:BatchesPerAddressPerMinute"] = "8",
        });
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await Batches.PostAsync(client, Batches.Valid($"rotating-client-{i:D4}"));
            statuses.Add(response.StatusCode);
        }
        Assert.Equal(8, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
