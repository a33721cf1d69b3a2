using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Beacon.Server.Hosting;
using Beacon.Server.Storage;
using Microsoft.Extensions.Options;

namespace Beacon.Server.Audit;

/// <summary>
/// Streams audit events from the database (the source of truth) to a JSON-lines file and to syslog.
/// It tails the table by sequence number and keeps its cursor in a file beside the log, so a sink that
/// was down, or a restart, loses nothing: it resumes where it stopped.
/// </summary>
public sealed class AuditStreamer(IBeaconStore store, IOptions<BeaconServerOptions> options, ILogger<AuditStreamer> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var audit = options.Value.Audit;
        if (string.IsNullOrEmpty(audit.JsonLinesPath) && string.IsNullOrEmpty(audit.Syslog))
        {
            return;
        }
        var cursorFile = (audit.JsonLinesPath ?? Path.Combine(options.Value.DataDir, "audit")) + ".cursor";
        var next = ReadCursor(cursorFile);
        using var syslog = CreateSyslog(audit.Syslog);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = 0;
                await using (var writer = audit.JsonLinesPath is { Length: > 0 } path ? new StreamWriter(path, append: true, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) : null)
                {
                    await foreach (var e in store.ReadAuditAsync(next, stoppingToken))
                    {
                        var line = JsonSerializer.Serialize(new
                        {
                            seq = e.Seq,
                            time = DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAt).ToString("O", CultureInfo.InvariantCulture),
                            kind = e.Kind,
                            outcome = e.Outcome,
                            actor = e.Actor,
                            subject = e.Subject,
                            details = JsonDocument.Parse(e.Details).RootElement,
                            hash = e.Hash,
                            prev_hash = e.PrevHash,
                        }, LineOptions);
                        if (writer is not null)
                        {
                            await writer.WriteLineAsync(line);
                        }
                        syslog?.Send(line);
                        next = e.Seq + 1;
                        if (++count == 1000)
                        {
                            break;
                        }
                    }
                    if (writer is not null)
                    {
                        await writer.FlushAsync(stoppingToken);
                    }
                }
                if (count > 0)
                {
                    await File.WriteAllTextAsync(cursorFile, next.ToString(CultureInfo.InvariantCulture), stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreUnavailableException or IOException or SocketException)
            {
                logger.LogWarning("audit streaming paused: {Reason}", e.Message);
            }
            await Task.Delay(PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static long ReadCursor(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var value) ? value : 1;

    private static SyslogSender? CreateSyslog(string? target) => string.IsNullOrEmpty(target) ? null : new SyslogSender(target);
}

/// <summary>RFC 5424 messages over UDP, facility authpriv (10), severity notice (5).</summary>
internal sealed class SyslogSender : IDisposable
{
    private readonly UdpClient _client;

    public SyslogSender(string target)
    {
        var separator = target.LastIndexOf(':');
        var host = separator > 0 ? target[..separator] : target;
        var port = separator > 0 ? int.Parse(target[(separator + 1)..], CultureInfo.InvariantCulture) : 514;
        _client = new UdpClient();
        _client.Connect(host, port);
    }

    public void Send(string json)
    {
        const int priority = 10 * 8 + 5;
        var message = $"<{priority}>1 {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Environment.MachineName} beacon-server - audit - {json}";
        var bytes = Encoding.UTF8.GetBytes(message);
        _client.Send(bytes, bytes.Length);
    }

    public void Dispose() => _client.Dispose();
}
