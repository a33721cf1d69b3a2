namespace Beacon.Web.Server;

/// <summary>Who is signed in, as the server says (GET /v1/me), asked once per request.</summary>
public sealed class CurrentUser(ServerApi api)
{
    private Task<ApiResult<Me>>? _me;

    public Task<ApiResult<Me>> GetAsync(CancellationToken cancellationToken = default) => _me ??= api.GetAsync<Me>("v1/me", cancellationToken);

    /// <summary>True only when the server says this person is an admin; any failure means no.</summary>
    public async Task<bool> IsAdminAsync(CancellationToken cancellationToken = default) => (await GetAsync(cancellationToken)).Value?.IsAdmin == true;
}
