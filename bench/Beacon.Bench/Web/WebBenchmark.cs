using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Beacon.Bench.Issuance;
using Beacon.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Beacon.Bench.Web;

/// <summary>
/// beacon-bench web: the real beacon-server (SQLite, N certificates stored) and beacon-web in this process,
/// an admin signed in through beacon-web's own encrypted cookie (as the OIDC sign-in leaves it, with an
/// RS256 access token the server validates on every call). Measures, one request at a time, time to
/// first byte and total for the admin certificates page, its API call alone, and a trivial page of the
/// same app, all in the same run.
/// </summary>
internal static class WebBenchmark
{
    private const string Provider = "bench";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var certificates = 100_000;
        var requests = 200;
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 < args.Length && args[i] == "--certificates" && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                certificates = n;
                i++;
            }
            else if (i + 1 < args.Length && args[i] == "--requests" && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r > 0)
            {
                requests = r;
                i++;
            }
            else
            {
                error.WriteLine($"beacon-bench: unexpected argument \"{args[i]}\" (web takes --certificates N and --requests N)");
                return 2;
            }
        }
        try
        {
            return RunAsync(certificates, requests, output).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            error.WriteLine($"beacon-bench web: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(int certificates, int requests, TextWriter output)
    {
        output.WriteLine($"beacon-bench web: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}");
        using var issuer = WorkloadIssuer.Start();
        var environment = new Dictionary<string, string>
        {
            [$"Beacon__Providers__{Provider}__Type"] = "jwt",
            [$"Beacon__Providers__{Provider}__Issuer"] = WorkloadIssuer.IssuerName,
            [$"Beacon__Providers__{Provider}__JwksUrl"] = issuer.JwksUrl,
            [$"Beacon__Providers__{Provider}__AllowHttp"] = "true",
            [$"Beacon__Providers__{Provider}__Audiences__0"] = WorkloadIssuer.Audience,
            [$"Beacon__Providers__{Provider}__UsernameClaim"] = WorkloadIssuer.UsernameClaim,
            ["Beacon__Admin__Groups__0"] = "ops",
        };
        using var server = await ServerUnderTest.StartAsync(environment, CancellationToken.None);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(Path.Combine(server.DataDir, "beacon.db"), certificates);
        output.WriteLine($"seeded {certificates} certificates in {seeding.Elapsed.TotalSeconds:0.0} s (one transaction, straight into the server's SQLite database)");

        var webUrl = $"http://127.0.0.1:{FreePort()}";
        await using var web = WebHost.Build(webUrl, null, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Web:ServerUrl"] = server.Url,
                ["Web:ServerFingerprint"] = server.Fingerprint,
                // Never contacted: the session below is already signed in.
                ["Web:Authority"] = "https://idp.bench.beacon.invalid",
                ["Web:ClientId"] = "beacon-web",
                ["Web:ServerProvider"] = Provider,
            });
        });
        await web.StartAsync();
        var cookie = SessionCookie(web, issuer.MintWithGroups("bench-admin", ["ops"], TimeSpan.FromHours(1)));

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(webUrl) };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        using var api = server.CreateClient(1);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issuer.MintWithGroups("bench-admin", ["ops"], TimeSpan.FromHours(1)));
        api.DefaultRequestHeaders.Add("Beacon-Provider", Provider);

        var cases = new (string Name, HttpClient Client, string Path, string Expect)[]
        {
            ("trivial page (/signed-out: layout and one GET /v1/me)", http, "/signed-out", "Signed out"),
            ("admin certificates, first page (50 rows)", http, "/admin/certificates", "rel=\"next\""),
            ("admin certificates, filtered by user", http, "/admin/certificates?user=user-7", ">user-7</a>"),
            ("admin certificates, no match (0 rows: the page without its rows)", http, "/admin/certificates?user=nobody", "No certificate matches"),
            ("API alone: GET /v1/admin/certificates?limit=50", api, "/v1/admin/certificates?limit=50", "\"next\":\""),
        };
        output.WriteLine($"{requests} sequential requests per row after 20 warm-up requests; milliseconds");
        output.WriteLine();
        output.WriteLine("| request | TTFB median | TTFB p95 | total median | total p95 | body KiB |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        var medians = new List<double>();
        foreach (var (name, client, path, expect) in cases)
        {
            for (var i = 0; i < 20; i++)
            {
                await MeasureAsync(client, path, expect);
            }
            var firstBytes = new List<double>();
            var totals = new List<double>();
            long size = 0;
            for (var i = 0; i < requests; i++)
            {
                var (ttfb, total, bytes) = await MeasureAsync(client, path, expect);
                firstBytes.Add(ttfb);
                totals.Add(total);
                size = bytes;
            }
            medians.Add(Percentile(totals, 0.5));
            output.WriteLine($"| {name} | {Ms(Percentile(firstBytes, 0.5))} | {Ms(Percentile(firstBytes, 0.95))} | {Ms(Percentile(totals, 0.5))} | {Ms(Percentile(totals, 0.95))} | {size / 1024.0:0.0} |");
        }
        output.WriteLine();
        output.WriteLine($"admin certificates page / trivial page (total medians): {medians[1] / medians[0]:0.0}x");
        await web.StopAsync();
        return 0;
    }

    /// <summary>One GET: time to the response headers, time to the last body byte; fails on anything but 200 with the expected text.</summary>
    private static async Task<(double Ttfb, double Total, long Bytes)> MeasureAsync(HttpClient client, string path, string expect)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var body = await response.Content.ReadAsStringAsync();
        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if ((int)response.StatusCode != 200 || !body.Contains(expect, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}, expected a page with \"{expect}\"");
        }
        return (ttfb, total, System.Text.Encoding.UTF8.GetByteCount(body));
    }

    /// <summary>
    /// The cookie beacon-web's OIDC sign-in would set, made with the app's own cookie protector: the
    /// admin's access token and its expiry, as SaveTokens stores them. Only the identity provider round
    /// trip is skipped; every page still sends the token to the server, which validates it.
    /// </summary>
    private static string SessionCookie(WebApplication web, string accessToken)
    {
        var options = web.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var identity = new ClaimsIdentity([new Claim("preferred_username", "bench-admin"), new Claim("sub", "user:bench-admin")],
            CookieAuthenticationDefaults.AuthenticationScheme, "preferred_username", "role");
        var properties = new AuthenticationProperties();
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = accessToken },
            new AuthenticationToken { Name = "expires_at", Value = DateTimeOffset.UtcNow.AddHours(1).ToString("o", CultureInfo.InvariantCulture) },
        ]);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), properties, CookieAuthenticationDefaults.AuthenticationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>N certificates for 100 users over the last 30 days, a tenth of them revoked, in one transaction.</summary>
    private static async Task SeedAsync(string database, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO certificates (serial, cert_type, user_id, username, provider, key_id, principals, host_group, public_key_fingerprint, ca_fingerprint, " +
            "valid_after, valid_before, issued_at, client_address, request_id, certificate, revoked_at, revoked_by) VALUES " +
            "($serial, 'user', NULL, $username, 'bench', $keyId, $principals, NULL, $fingerprint, 'SHA256:bench-ca', $validAfter, $validBefore, $issuedAt, " +
            "'127.0.0.1', $requestId, $certificate, $revokedAt, $revokedBy)";
        var parameters = new[] { "$serial", "$username", "$keyId", "$principals", "$fingerprint", "$validAfter", "$validBefore", "$issuedAt", "$requestId", "$certificate", "$revokedAt", "$revokedBy" }
            .ToDictionary(n => n, n => command.Parameters.Add(new SqliteParameter { ParameterName = n }));
        var certificate = "ssh-ed25519-cert-v01@openssh.com " + Convert.ToBase64String(new byte[560]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var random = new Random(42);
        for (var i = 0; i < count; i++)
        {
            var user = $"user-{i % 100}";
            var issuedAt = now - (long)(random.NextDouble() * 30 * 86_400_000);
            parameters["$serial"].Value = (1_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            parameters["$username"].Value = user;
            parameters["$keyId"].Value = $"beacon:bench:{user}:{i:x8}";
            parameters["$principals"].Value = $"[\"{user}\"]";
            parameters["$fingerprint"].Value = $"SHA256:bench{i:x8}";
            parameters["$validAfter"].Value = issuedAt / 1000;
            parameters["$validBefore"].Value = issuedAt / 1000 + 900;
            parameters["$issuedAt"].Value = issuedAt;
            parameters["$requestId"].Value = $"bench-{i}";
            parameters["$certificate"].Value = certificate;
            parameters["$revokedAt"].Value = i % 10 == 0 ? issuedAt + 60_000 : DBNull.Value;
            parameters["$revokedBy"].Value = i % 10 == 0 ? "bench:admin" : DBNull.Value;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
