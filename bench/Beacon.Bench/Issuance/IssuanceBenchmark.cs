using System.Globalization;
using System.Text.Json;
using Beacon.Ssh.Certificates;
using Beacon.Ssh.Keys;

namespace Beacon.Bench.Issuance;

/// <summary>
/// The issuance target of DESIGN.md, measured against the real beacon-server over pinned HTTPS: the
/// `jwt` provider validating RS256 tokens locally against a JWKS, policy, Ed25519 signing and the
/// durable hash-chained audit, on SQLite and on PostgreSQL. Beside it, in the same run, the in-process
/// certificate signing rate as the reference, and the rate of durable commits of each database.
/// </summary>
internal static class IssuanceBenchmark
{
    private const int Workloads = 100;
    private const int SubjectKeys = 512;
    private const string Provider = "bench";
    private static readonly TimeSpan ProbeDuration = TimeSpan.FromSeconds(2);

    public static int Run(IssuanceSettings settings, TextWriter output, TextWriter error)
    {
        using var deadline = new CancellationTokenSource(settings.Deadline);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            deadline.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var cleanup = new CleanupStack();
        try
        {
            return RunAsync(settings, output, cleanup, deadline.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or OperationCanceledException or HttpRequestException or IOException)
        {
            error.WriteLine($"beacon-bench issuance: {(deadline.IsCancellationRequested ? "stopped (deadline or Ctrl+C)" : e.Message)}");
            return 1;
        }
#pragma warning disable CA1031 // Anything else is a bug in the bench: report it, and still clean up (an unhandled exception would skip the cleanup).
        catch (Exception e)
#pragma warning restore CA1031
        {
            error.WriteLine($"beacon-bench issuance: unexpected failure: {e}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<int> RunAsync(IssuanceSettings settings, TextWriter output, CleanupStack cleanup, CancellationToken cancellationToken)
    {
        output.WriteLine($"beacon-bench issuance: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}");
        output.WriteLine($"each run: {settings.WarmUp.TotalSeconds:0.#} s warm-up, then {settings.Duration.TotalSeconds:0.#} s measured; " +
            "POST /v1/certificates/user over pinned TLS, HTTP/1.1 keep-alive, a fresh RS256 JWT (jwt provider, local JWKS validation) " +
            $"and an Ed25519 key per request, {Workloads} workload identities");
        output.WriteLine("closed N: N clients, one connection each, back to back (peak rate); open: a fixed request rate at half the peak, " +
            "latency from each request's scheduled start");
        output.WriteLine();

        var referenceBefore = SigningReference.CertificatesPerSecond();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reference: Ed25519 certificate build+sign in process, one thread: {referenceBefore:N0}/s"));

        var issuer = cleanup.Push(WorkloadIssuer.Start());
        var tokens = new TokenPool();
        var bodies = Enumerable.Range(0, SubjectKeys).Select(_ =>
        {
            using var key = Ed25519PrivateKey.Generate();
            return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["public_key"] = key.PublicKey.ToOpenSshString() });
        }).ToList();

        var rows = new List<Row>();
        var failures = new List<string>();
        foreach (var database in settings.Databases)
        {
            var environment = ServerEnvironment(issuer);
            ThrowawayPostgres? postgres = null;
            if (database == "postgres")
            {
                postgres = cleanup.Push(await ThrowawayPostgres.StartAsync(cancellationToken));
                environment["Beacon__Database__Provider"] = "postgres";
                environment["Beacon__Database__ConnectionString"] = postgres.ConnectionString;
            }
            var server = cleanup.Push(await ServerUnderTest.StartAsync(environment, cancellationToken));
            var commits = postgres is null
                ? CommitProbe.Sqlite(server.Root, ProbeDuration)
                : await CommitProbe.PostgresAsync(postgres.ConnectionString, ProbeDuration, cancellationToken);
            output.WriteLine(postgres is null
                ? string.Create(CultureInfo.InvariantCulture, $"sqlite: durable commits (WAL, synchronous=FULL), one connection, same disk: {commits:N0}/s")
                : string.Create(CultureInfo.InvariantCulture, $"postgres: {postgres.Version}, durable defaults (fsync, synchronous_commit on); commits on one connection: {commits:N0}/s"));

            SshPublicKey userCa;
            using (var anonymous = server.CreateClient(1))
            {
                userCa = SshPublicKeyParser.ParseLine(await anonymous.GetStringAsync("/v1/trust/user-ca.pub", cancellationToken));
            }
            var cpu = new CpuMeter(server, postgres);
            double peak = 0;
            foreach (var concurrency in settings.Concurrency)
            {
                var clients = Enumerable.Range(0, concurrency).Select(_ => server.CreateClient(1)).ToList();
                try
                {
                    Refill(tokens, issuer, Math.Max(peak, 1500) * settings.WarmUp.TotalSeconds + concurrency, cancellationToken);
                    var warm = await LoadDriver.ClosedLoopAsync(clients, tokens, bodies, settings.WarmUp, cancellationToken);
                    Check(warm, userCa, $"{database} closed {concurrency} warm-up", failures);
                    // A warm-up still runs partly unoptimised code, so the measured run may go much faster: mint generously.
                    Refill(tokens, issuer, Math.Max(warm.PerSecond * 3, peak * 1.5) * settings.Duration.TotalSeconds + 4 * concurrency, cancellationToken);
                    cpu.Start();
                    var result = await LoadDriver.ClosedLoopAsync(clients, tokens, bodies, settings.Duration, cancellationToken);
                    rows.Add(new Row(database, $"closed {concurrency}", result, cpu.Stop(result.Elapsed)));
                    Check(result, userCa, $"{database} closed {concurrency}", failures);
                    peak = Math.Max(peak, result.PerSecond);
                }
                finally
                {
                    clients.ForEach(c => c.Dispose());
                }
            }
            if (settings.OpenLoop && peak > 0)
            {
                var rate = Math.Round(peak / 2);
                using var client = server.CreateClient(settings.Concurrency.Max());
                Refill(tokens, issuer, rate * (settings.WarmUp + settings.Duration).TotalSeconds * 1.05 + 100, cancellationToken);
                Check(await LoadDriver.OpenLoopAsync(client, rate, tokens, bodies, settings.WarmUp, cancellationToken), userCa, $"{database} open loop warm-up", failures);
                cpu.Start();
                var result = await LoadDriver.OpenLoopAsync(client, rate, tokens, bodies, settings.Duration, cancellationToken);
                rows.Add(new Row(database, string.Create(CultureInfo.InvariantCulture, $"open {rate:0}/s"), result, cpu.Stop(result.Elapsed)));
                Check(result, userCa, $"{database} open loop", failures);
            }

            var verify = await ServerUnderTest.CommandAsync(environment, cancellationToken, "audit", "verify", "--data-dir", server.DataDir);
            output.WriteLine($"{database}: beacon-server audit verify after the runs: {verify.Output.Split('\n').LastOrDefault()}");
            if (verify.ExitCode != 0)
            {
                failures.Add($"{database}: audit verify failed: {verify.Output}");
            }
            cleanup.DisposeNow(server);
            if (postgres is not null)
            {
                cleanup.DisposeNow(postgres);
            }
        }

        var referenceAfter = SigningReference.CertificatesPerSecond();
        var reference = (referenceBefore + referenceAfter) / 2;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reference again after the runs: {referenceAfter:N0}/s; ratios below are against the mean, {reference:N0}/s"));
        output.WriteLine();
        PrintTable(output, rows, reference);
        output.WriteLine();
        PrintTargets(output, rows);
        foreach (var failure in failures)
        {
            output.WriteLine($"FAILED: {failure}");
        }
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// The configuration the benchmark adds to `init`'s defaults, all through environment variables:
    /// a `jwt` provider for the bench's issuer, a policy granting its workloads the principal deploy,
    /// and rate limits raised far above what a run sends (the benchmark is one address and 100 identities).
    /// Durability settings are not touched.
    /// </summary>
    private static Dictionary<string, string> ServerEnvironment(WorkloadIssuer issuer) => new()
    {
        [$"Beacon__Providers__{Provider}__Type"] = "jwt",
        [$"Beacon__Providers__{Provider}__Issuer"] = WorkloadIssuer.IssuerName,
        [$"Beacon__Providers__{Provider}__JwksUrl"] = issuer.JwksUrl,
        [$"Beacon__Providers__{Provider}__AllowHttp"] = "true",
        [$"Beacon__Providers__{Provider}__Audiences__0"] = WorkloadIssuer.Audience,
        [$"Beacon__Providers__{Provider}__UsernameClaim"] = WorkloadIssuer.UsernameClaim,
        // init's default policy is entry 0 (one-time tokens); the bench's grant is entry 1.
        ["Beacon__Policy__Policies__1__Name"] = "bench-workloads",
        ["Beacon__Policy__Policies__1__Subjects__0__Provider"] = Provider,
        ["Beacon__Policy__Policies__1__Principals__0"] = "deploy",
        ["Beacon__Policy__Policies__1__DefaultTtl"] = "10m",
        ["Beacon__Policy__Policies__1__MaxTtl"] = "15m",
        ["Beacon__Limits__IssuancePerIdentityPerMinute"] = "100000000",
        ["Beacon__Limits__IssuancePerAddressPerMinute"] = "100000000",
    };

    /// <summary>Mints tokens up to the target, before a run (never during one: RS256 signing would take CPU from the server).</summary>
    private static void Refill(TokenPool tokens, WorkloadIssuer issuer, double target, CancellationToken cancellationToken)
    {
        var missing = (int)Math.Min(IssuanceSettings.MaxTokensPerRun, Math.Ceiling(target)) - tokens.Remaining;
        if (missing > 0)
        {
            tokens.Refill(issuer.Mint(missing, Workloads, TimeSpan.FromHours(1), cancellationToken));
        }
    }

    /// <summary>A run is only reported if it was correct: no errors, and an issued certificate that verifies under the user CA.</summary>
    private static void Check(LoadResult result, SshPublicKey userCa, string run, List<string> failures)
    {
        if (result.ErrorCount > 0)
        {
            failures.Add($"{run}: {result.ErrorCount} errors ({string.Join(", ", result.Errors.Select(e => $"{e.Key} x{e.Value}"))}); first: {result.FirstError}");
        }
        if (result.SampleResponse is not { } sample)
        {
            failures.Add($"{run}: no certificate was issued");
            return;
        }
        using var json = JsonDocument.Parse(sample);
        var certificate = SshCertificateParser.ParseLine(json.RootElement.GetProperty("certificate").GetString()!);
        if (!certificate.VerifySignature() || !certificate.SignatureKey.Equals(userCa)
            || !certificate.Principals.SequenceEqual(["deploy"]))
        {
            failures.Add($"{run}: an issued certificate is not a deploy certificate signed by the user CA");
        }
    }

    private static void PrintTable(TextWriter output, IReadOnlyList<Row> rows, double reference)
    {
        output.WriteLine($"{"database",-9} {"run",-12} {"cert/s",7} {"ratio",6} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"issued",7} {"errors",6}  " +
            $"{"cores: server",13} {"bench",5} {"db",5}  {"server CPU ms/cert",18}  {"load",5}");
        foreach (var row in rows)
        {
            var r = row.Result;
            var database = row.Database == "sqlite" ? "-" : row.Cpu.Database.ToString("0.00", CultureInfo.InvariantCulture);
            var notes = (r.PoolSpentAt is { } spent ? string.Create(CultureInfo.InvariantCulture, $"  (tokens ran out at {spent.TotalSeconds:0.0} s)") : "") +
                (r.ScheduleLag is { } lag ? $"  (generator lag p99 {Ms(lag.P99)} ms)" : "");
            var cpuPerCertificate = r.Issued == 0 ? 0 : row.Cpu.Server * r.Elapsed.TotalMilliseconds / r.Issued;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Database,-9} {row.Run,-12} {r.PerSecond,7:N0} {r.PerSecond / reference,6:0.000} {Ms(r.Latency.P50),7} {Ms(r.Latency.P99),7} {Ms(r.Latency.Max),7} " +
                $"{r.Issued,7} {r.ErrorCount,6}  {row.Cpu.Server,13:0.00} {row.Cpu.Bench,5:0.00} {database,5}  {cpuPerCertificate,18:0.00}  {row.Load,5}{notes}"));
        }
        output.WriteLine("ratio: certificates/s through the API over the in-process reference; cores: CPU seconds / wall seconds during the run " +
            "(server process, this process's clients, PostgreSQL's processes); load: 1-minute load average at the end of the run (other work on the machine shows here)");
    }

    private static void PrintTargets(TextWriter output, IReadOnlyList<Row> rows)
    {
        output.WriteLine("DESIGN.md targets (reported, not enforced: absolute rates depend on the machine and its load):");
        foreach (var database in rows.Select(r => r.Database).Distinct())
        {
            var peak = rows.Where(r => r.Database == database && r.Run.StartsWith("closed", StringComparison.Ordinal)).Max(r => r.Result.PerSecond);
            var open = rows.FirstOrDefault(r => r.Database == database && r.Run.StartsWith("open", StringComparison.Ordinal));
            var peakText = string.Create(CultureInfo.InvariantCulture, $"peak {peak:N0}/s {(peak >= 1000 ? "met" : "NOT met")}");
            var openText = open is null
                ? "p99 at half the peak rate: not measured"
                : $"p99 in single-digit ms at half the peak rate: {Ms(open.Result.Latency.P99)} ms {(open.Result.Latency.P99 < TimeSpan.FromMilliseconds(10) ? "met" : "NOT met")}";
            output.WriteLine($"  {database}: thousands of certificates/s: {peakText}; {openText}");
        }
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString(value.TotalMilliseconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private sealed record Row(string Database, string Run, LoadResult Result, CpuShare Cpu)
    {
        public string Load { get; } = MachineInfo.LoadAverage();
    }

    /// <summary>Cores busy during a run: the server process, this process (clients), and the database's processes.</summary>
    private sealed record CpuShare(double Server, double Bench, double Database);

    private sealed class CpuMeter(ServerUnderTest server, ThrowawayPostgres? postgres)
    {
        private (TimeSpan Server, TimeSpan Bench, TimeSpan Database) _start;

        public void Start() => _start = Read();

        public CpuShare Stop(TimeSpan elapsed)
        {
            var end = Read();
            var seconds = elapsed.TotalSeconds;
            return new CpuShare((end.Server - _start.Server).TotalSeconds / seconds, (end.Bench - _start.Bench).TotalSeconds / seconds,
                (end.Database - _start.Database).TotalSeconds / seconds);
        }

        private (TimeSpan Server, TimeSpan Bench, TimeSpan Database) Read() => (server.CpuTime(), System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime,
            postgres is { PostmasterPid: > 0 and var pid } ? ProcessCpu.OfTree(pid) : TimeSpan.Zero);
    }
}
