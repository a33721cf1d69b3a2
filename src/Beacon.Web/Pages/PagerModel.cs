using Microsoft.AspNetCore.Http.Extensions;

namespace Beacon.Web.Pages;

/// <summary>Links to the first and the next page of a keyset-paged list, keeping the filters.</summary>
public sealed record PagerModel(bool IsFirst, string FirstHref, string? NextHref)
{
    public static PagerModel For(HttpRequest request, string cursorName, string? next)
    {
        var filters = request.Query.Where(q => q.Key != cursorName && !string.IsNullOrEmpty(q.Value)).ToList();
        var first = new QueryBuilder(filters.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))));
        string? nextHref = null;
        if (next is not null)
        {
            var withCursor = new QueryBuilder(filters.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? "")))) { { cursorName, next } };
            nextHref = request.Path + withCursor.ToString();
        }
        return new PagerModel(string.IsNullOrEmpty(request.Query[cursorName]), request.Path + first.ToString(), nextHref);
    }
}
