using System.Text.Json;
using System.Text.RegularExpressions;
using Beacon.Web.Server;
using Microsoft.AspNetCore.Mvc;

namespace Beacon.Web.Pages.Admin;

/// <summary>The versioned policy document: history (who, when), a version's JSON, and the editor whose errors sit beside their fields.</summary>
public sealed partial class PoliciesModel(ServerApi api) : AdminPage
{
    [BindProperty(SupportsGet = true)] public long? Version { get; set; }

    [BindProperty] public List<RuleForm> Rules { get; set; } = [];

    [BindProperty] public long BaseVersion { get; set; }

    public List<PolicyVersionRow> History { get; private set; } = [];

    public PolicyVersionDocument? Shown { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Errors by (form rule index, field), and those that belong to no field.</summary>
    public Dictionary<(int Rule, string Field), List<string>> FieldErrors { get; } = [];

    public List<string> GeneralErrors { get; } = [];

    public IEnumerable<string> ErrorsFor(int rule, string field) => FieldErrors.TryGetValue((rule, field), out var list) ? list : [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Shown is not null)
        {
            Rules = Shown.Document.Policies.Select(RuleForm.From).ToList();
            BaseVersion = Shown.Version;
        }
        Rules.Add(RuleForm.Blank());
        if (Version is not null)
        {
            // Viewing an old version: its document is shown read-only; the editor still starts from the latest.
            var latest = History.FirstOrDefault();
            if (latest is not null && latest.Version != Version)
            {
                var current = await api.GetAsync<PolicyVersionDocument>($"v1/admin/policies/{latest.Version}", cancellationToken);
                Rules = (current.Value?.Document.Policies ?? []).Select(RuleForm.From).Append(RuleForm.Blank()).ToList();
                BaseVersion = latest.Version;
            }
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var parseErrors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var document = new PolicyDocumentModel();
        var formIndexOf = new List<int>();
        for (var f = 0; f < Rules.Count; f++)
        {
            if (Rules[f].Delete || Rules[f].IsBlank)
            {
                continue;
            }
            var at = $"policies[{document.Policies.Count}]";
            formIndexOf.Add(f);
            document.Policies.Add(Rules[f].ToRule(at, parseErrors));
        }
        // What the form does not show is carried over from the version the edit started from.
        var baseDocument = BaseVersion > 0 ? (await api.GetAsync<PolicyVersionDocument>($"v1/admin/policies/{BaseVersion}", cancellationToken)).Value?.Document : null;
        if (baseDocument is not null)
        {
            document.Other = baseDocument.Other;
            foreach (var rule in document.Policies)
            {
                rule.Other = baseDocument.Policies.FirstOrDefault(r => r.Name == rule.Name)?.Other;
            }
        }
        if (parseErrors.Count == 0)
        {
            var saved = await api.PostAsync<PolicySaved>("v1/admin/policies", new { base_version = BaseVersion, document }, cancellationToken);
            if (saved.Succeeded)
            {
                TempData["Notice"] = $"policy version {saved.Value!.Version} saved";
                return Redirect("/admin/policies");
            }
            if (saved.Problem?.Errors is { Count: > 0 } errors)
            {
                foreach (var (key, messages) in errors)
                {
                    parseErrors[key] = messages.ToList();
                }
            }
            else
            {
                GeneralErrors.Add(saved.Message);
            }
        }
        foreach (var (key, messages) in parseErrors)
        {
            var match = FieldKey().Match(key);
            if (match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var docIndex && docIndex < formIndexOf.Count)
            {
                var slot = (formIndexOf[docIndex], match.Groups[2].Value);
                if (!FieldErrors.TryGetValue(slot, out var list))
                {
                    FieldErrors[slot] = list = [];
                }
                list.AddRange(messages);
            }
            else
            {
                GeneralErrors.AddRange(messages.Select(m => $"{key}: {m}"));
            }
        }
        Response.StatusCode = 400;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var history = await api.GetAsync<PolicyHistory>("v1/admin/policies", cancellationToken);
        History = history.Value?.Items ?? [];
        Error = history.Succeeded ? null : history.Message;
        var wanted = Version ?? History.FirstOrDefault()?.Version;
        if (wanted is not null)
        {
            var shown = await api.GetAsync<PolicyVersionDocument>($"v1/admin/policies/{wanted}", cancellationToken);
            Shown = shown.Value;
            Error ??= shown.Succeeded ? null : shown.Message;
        }
    }

    public string ShownJson => Shown is null ? "" : JsonSerializer.Serialize(Shown.Document, new JsonSerializerOptions(ServerApi.Json) { WriteIndented = true });

    [GeneratedRegex(@"^policies\[(\d+)\]\.([a-z_]+)")]
    private static partial Regex FieldKey();
}
