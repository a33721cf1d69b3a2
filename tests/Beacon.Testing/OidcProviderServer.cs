using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Testing;

/// <summary>
/// A real OpenID Connect provider, npm oidc-provider (tests/oidc-provider/server.mjs), on a free
/// loopback port. Its RS256 signing key is generated here, so tests can also sign deliberately bad
/// tokens (expired, another audience) with the provider's own key.
/// </summary>
public sealed class OidcProviderServer : IDisposable
{
    public const string CliClientId = "beacon-cli";
    public const string ServerClientId = "beacon-server";
    public const string ServerClientSecret = "beacon-server-secret";
    public const string ApiResource = "urn:beacon:api";
    public const string ApiAudience = "beacon-api";

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private OidcProviderServer(Process process, TempDirectory directory, string issuer, RSA key)
    {
        _process = process;
        _directory = directory;
        Issuer = issuer;
        SigningKey = new RsaSecurityKey(key) { KeyId = "beacon-test-rs256" };
    }

    public string Issuer { get; }

    /// <summary>The provider's own signing key (private), for tests that forge tokens on purpose.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>node and npm, or null when both are installed.</summary>
    public static string? MissingTools() =>
        File.Exists("/usr/bin/node") && File.Exists("/usr/bin/npm") ? null : "node or npm";

    /// <summary>tests/oidc-provider, found by walking up from the test assembly.</summary>
    public static string ScriptDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "oidc-provider");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/oidc-provider/server.mjs not found above the test assembly");
    }

    public static OidcProviderServer Start() => Start(null);

    /// <summary>Starts the provider with extra environment variables (e.g. BEACON_WEB_REDIRECT_URIS for the web portal's client).</summary>
    public static OidcProviderServer Start(IDictionary<string, string>? environment)
    {
        if (MissingTools() is { } missing)
        {
            throw new InvalidOperationException($"{missing} is not installed; run scripts/test, which installs it");
        }
        var scripts = ScriptDirectory();
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "oidc-provider")))
        {
            var install = OpenSsh.Run("/usr/bin/npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], workingDirectory: scripts, timeout: TimeSpan.FromMinutes(3));
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {scripts}: {install.StandardError}");
            }
        }
        var directory = new TempDirectory("beacon-oidc-");
        var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)));
        var keyFile = directory.WritePrivate("signing.jwk", JsonSerializer.Serialize(new
        {
            kty = "RSA", kid = "beacon-test-rs256", use = "sig", alg = "RS256",
            n = jwk.N, e = jwk.E, d = jwk.D, p = jwk.P, q = jwk.Q, dp = jwk.DP, dq = jwk.DQ, qi = jwk.QI,
        }));
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var info = new ProcessStartInfo("/usr/bin/node") { WorkingDirectory = scripts, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("server.mjs");
            info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.Environment["OIDC_SIGNING_JWK"] = keyFile;
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[name] = value;
            }
            var process = Process.Start(info)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var ready = process.StandardOutput.ReadLineAsync();
            if (ready.Wait(TimeSpan.FromSeconds(20)) && ready.Result?.StartsWith("ready ", StringComparison.Ordinal) == true)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new OidcProviderServer(process, directory, ready.Result["ready ".Length..].Trim(), rsa);
            }
            process.Kill(entireProcessTree: true);
            if (attempt == 2)
            {
                throw new InvalidOperationException("oidc-provider did not start");
            }
        }
    }

    /// <summary>Runs the device flow as a user would (the verification page, login, consent) and returns the token response.</summary>
    /// <param name="jwt">Ask for the API resource: a JWT access token; otherwise an opaque one (for userinfo and introspection).</param>
    public Task<DeviceFlowTokens> DeviceFlowAsync(string account, bool jwt) => new OidcDeviceFlowDriver(Issuer).RunAsync(account, jwt);

    /// <summary>Revokes a token at the provider (RFC 7009), as a user signing out would.</summary>
    public async Task RevokeAsync(string token)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Issuer}/token/revocation",
            new FormUrlEncodedContent([new("token", token), new("client_id", CliClientId)]));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Signs a JWT with the provider's own key: for tokens the provider would never issue (expired, another audience).</summary>
    public string Sign(IDictionary<string, object> claims, string algorithm = SecurityAlgorithms.RsaSha256) =>
        new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(SigningKey, algorithm));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _directory.Dispose();
    }
}

/// <summary>The device flow's token response.</summary>
public sealed record DeviceFlowTokens(string AccessToken, string? IdToken, string? RefreshToken, int ExpiresIn);
