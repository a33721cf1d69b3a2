using System.Text.Json.Serialization;
using Beacon.Diag.Alerts;

namespace Beacon.Diag.Hosting;

[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class DiagJsonContext : JsonSerializerContext;
