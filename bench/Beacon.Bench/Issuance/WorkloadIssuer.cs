using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Bench.Issuance;

/// <summary>
/// The benchmark's own identity provider, in the role GitHub Actions plays for CI workloads: an RSA key
/// it generates, its JWKS served over plain HTTP on 127.0.0.1 (the server is configured with AllowHttp
/// for this loopback address), and RS256 JWTs with iss, aud, sub, exp, a username claim and a unique jti.
/// </summary>
internal sealed class WorkloadIssuer : IDisposable
{
    public const string IssuerName = "https://ci.bench.beacon.invalid";
    public const string Audience = "beacon-bench";
    public const string UsernameClaim = "username";
    private const string KeyId = "bench-rs256";

    private readonly RSAParameters _privateKey;
    private readonly HttpListener _listener;
    private readonly Task _serving;
    private readonly byte[] _jwks;

    private WorkloadIssuer(RSAParameters privateKey, HttpListener listener, string jwksUrl)
    {
        _privateKey = privateKey;
        _listener = listener;
        JwksUrl = jwksUrl;
        _jwks = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA", use = "sig", alg = "RS256", kid = KeyId,
                    n = Base64UrlEncoder.Encode(privateKey.Modulus), e = Base64UrlEncoder.Encode(privateKey.Exponent),
                },
            },
        }));
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Where the server fetches the keys.</summary>
    public string JwksUrl { get; }

    /// <summary>Generates the key and starts serving its JWKS on a free loopback port.</summary>
    public static WorkloadIssuer Start()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        for (var attempt = 0; ; attempt++)
        {
            var prefix = $"http://127.0.0.1:{FreePort()}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return new WorkloadIssuer(parameters, listener, prefix + "jwks");
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>
    /// Mints <paramref name="count"/> fresh tokens on every core (RS256 signing is the expensive part, and it
    /// must not run while a measurement does). Workload i of <paramref name="workloads"/> is sub
    /// repo:beacon/bench-i, username bench-i.
    /// </summary>
    public string[] Mint(int count, int workloads, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var tokens = new string[count];
        var handler = new JsonWebTokenHandler();
        var now = DateTime.UtcNow;
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken },
            () =>
            {
                // One RSA instance per worker thread: an instance is not documented as safe to share.
                // No provider cache either: it is keyed by key id and would hand a later call this call's disposed instance.
                var rsa = RSA.Create(_privateKey);
                return (Rsa: rsa, Credentials: new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256)
                {
                    CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
                });
            },
            (i, _, local) =>
            {
                var workload = i % workloads;
                tokens[i] = handler.CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = IssuerName,
                    Audience = Audience,
                    IssuedAt = now,
                    NotBefore = now.AddSeconds(-5),
                    Expires = now + lifetime,
                    Subject = new ClaimsIdentity(
                    [
                        new Claim("sub", $"repo:beacon/bench-{workload}:ref:refs/heads/main"),
                        new Claim(UsernameClaim, $"bench-{workload}"),
                        new Claim("jti", Guid.NewGuid().ToString("N")),
                    ]),
                    SigningCredentials = local.Credentials,
                });
                return local;
            },
            local => local.Rsa.Dispose());
        return tokens;
    }

    /// <summary>One token for a person-like identity with groups (the web suite's admin).</summary>
    public string MintWithGroups(string username, IReadOnlyList<string> groups, TimeSpan lifetime)
    {
        using var rsa = RSA.Create(_privateKey);
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = $"user:{username}",
            [UsernameClaim] = username,
            ["groups"] = groups.ToArray(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerName,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
        });
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                using var response = context.Response;
                if (context.Request.HttpMethod == "GET" && context.Request.Url?.AbsolutePath == "/jwks")
                {
                    response.ContentType = "application/json";
                    response.ContentLength64 = _jwks.Length;
                    await response.OutputStream.WriteAsync(_jwks);
                }
                else
                {
                    response.StatusCode = 404;
                }
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The server went away mid-response; keep serving the next one.
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
