using Beacon.Web.Server;
using Microsoft.AspNetCore.Mvc;

namespace Beacon.Web.Pages.Admin;

/// <summary>
/// The CA lifecycle (GET /v1/admin/ca/keys, POST /v1/admin/ca/{kind}/rotate|activate|retire) and the
/// trust bundle: the published version, the draft waiting for an offline signature, and its upload.
/// </summary>
public sealed class CaModel(ServerApi api) : AdminPage
{
    public static readonly string[] Kinds = ["user", "host"];

    public List<CaKeyRow> Keys { get; private set; } = [];

    public string? Error { get; private set; }

    public string? PublishedVersion { get; private set; }

    public string? PublishedProblem { get; private set; }

    public string? DraftVersion { get; private set; }

    public string? DraftDocument { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var keys = await api.GetAsync<CaKeyList>("v1/admin/ca/keys", cancellationToken);
        Keys = keys.Value?.Keys ?? [];
        Error = keys.Succeeded ? null : keys.Message;
        var published = await api.SendRawAsync(HttpMethod.Get, "v1/trust/bundle", null, cancellationToken);
        PublishedVersion = published.Status == 200 ? published.BundleVersion : null;
        PublishedProblem = published.Status == 200 ? null : published.Status == 404 ? "nothing is published yet" : published.Message;
        var draft = await api.SendRawAsync(HttpMethod.Get, "v1/admin/trust/bundle/draft", null, cancellationToken);
        if (draft.Status == 200)
        {
            DraftVersion = draft.BundleVersion;
            DraftDocument = draft.Body;
        }
    }

    public async Task<IActionResult> OnPostStepAsync(string kind, string step, bool force, CancellationToken cancellationToken)
    {
        if (!Kinds.Contains(kind) || step is not ("rotate" or "activate" or "retire"))
        {
            return BadRequest();
        }
        var result = await api.PostAsync<CaStepResult>($"v1/admin/ca/{kind}/{step}", step == "retire" ? new { force } : null, cancellationToken);
        var bundle = result.Value is { } done ? done.BundleVersion is { } v ? $"; trust bundle version {v}" : done.BundleError is { } e ? $"; bundle: {e}" : "" : "";
        return Done(result, $"{result.Value?.Message}{bundle}");
    }

    public async Task<IActionResult> OnPostSignatureAsync(long version, string? signature, CancellationToken cancellationToken)
    {
        var answer = await api.SendRawAsync(HttpMethod.Post, $"v1/admin/trust/bundle/signature?version={version}", signature ?? "", cancellationToken);
        if (answer.Problem is null)
        {
            TempData["Notice"] = $"trust bundle version {version} is published";
        }
        else
        {
            TempData["Error"] = answer.Message;
        }
        return Redirect("/admin/ca");
    }
}
