namespace Beacon.Bench.Host;

/// <summary>The host-side suites: krl (a million revoked serials) and host-sync (a sync with nothing changed).</summary>
internal static class HostBenchmarks
{
    public const string Usage =
        "  krl        a KRL revoking 1,000,000 serials (random, sequential, sparse): size, build and parse time, ssh-keygen -k alongside\n" +
        "  host-sync  beacon-host sync with nothing changed (conditional GETs answered 304) vs a plain HTTPS GET of the same server\n";

    public static int Run(string suite, BenchSettings settings, TextWriter output) => suite switch
    {
        "krl" => KrlBenchmark.Run(settings, output),
        _ => HostSyncBenchmark.Run(settings, output),
    };
}
