using Beacon.Client;
using Beacon.CommandLine;
using Beacon.Web.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Beacon.Web.Hosting;

/// <summary>beacon-web's wiring: OIDC sign-in into an encrypted cookie, Razor Pages, strict headers.</summary>
public static class WebHost
{
    /// <summary>Builds the app from appsettings.json, an optional extra file and the environment.</summary>
    /// <exception cref="UserFacingException">The "Web" section is incomplete or wrong.</exception>
    public static WebApplication Build(string? urls, string? configFile, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new UserFacingException($"configuration file {configFile} does not exist");
            }
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.Configuration.AddEnvironmentVariables("BEACON_WEB_");
        if (!string.IsNullOrEmpty(urls))
        {
            builder.WebHost.UseUrls(urls);
        }
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        Validate(options);
        builder.Services.AddBeaconWeb(builder.Configuration, options);
        var app = builder.Build();
        app.UseBeaconWeb();
        return app;
    }

    /// <summary>Fails closed at start with what is missing, rather than on the first sign-in.</summary>
    public static void Validate(WebOptions options)
    {
        if (!Uri.TryCreate(options.ServerUrl, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps)
        {
            throw new UserFacingException("Web:ServerUrl must be the server's https:// address");
        }
        try
        {
            PinnedTls.Normalize(options.ServerFingerprint);
        }
        catch (ArgumentException)
        {
            throw new UserFacingException("Web:ServerFingerprint must be the server's TLS certificate SHA-256 (64 hex digits, as beacon-server init prints it)");
        }
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            throw new UserFacingException("Web:Authority must be the OpenID Connect issuer URL");
        }
        if (authority.Scheme != Uri.UriSchemeHttps && (options.RequireHttpsMetadata || !authority.IsLoopback))
        {
            throw new UserFacingException("Web:Authority must use https (http is accepted only on loopback with Web:RequireHttpsMetadata=false)");
        }
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            throw new UserFacingException("Web:ClientId is required");
        }
    }

    public static IServiceCollection AddBeaconWeb(this IServiceCollection services, IConfiguration configuration, WebOptions web)
    {
        services.Configure<WebOptions>(configuration.GetSection(WebOptions.Section));
        services.AddHttpContextAccessor();
        services.AddHttpClient(ServerApi.ClientName, http =>
        {
            http.BaseAddress = new Uri(web.ServerUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(20);
        }).ConfigurePrimaryHttpMessageHandler(() => PinnedTls.CreateHandler(web.ServerFingerprint));
        services.AddScoped<ServerApi>();
        services.AddScoped<CurrentUser>();
        if (configuration["Web:DataProtectionKeys"] is { Length: > 0 } keys)
        {
            services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys)).SetApplicationName("beacon-web");
        }
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "beacon-web";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = false;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // The cookie lives only as long as the access token in it: after that, sign in again.
                o.Events.OnValidatePrincipal = async context =>
                {
                    var expires = context.Properties.GetTokenValue("expires_at");
                    if (expires is null || !DateTimeOffset.TryParse(expires, System.Globalization.CultureInfo.InvariantCulture,
                            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) || at <= DateTimeOffset.UtcNow)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = web.Authority;
                o.ClientId = web.ClientId;
                o.ClientSecret = string.IsNullOrEmpty(web.ClientSecret) ? null : web.ClientSecret;
                o.ResponseType = "code";
                // A redirect back (GET) rather than a cross-site form post: works with SameSite=Lax cookies.
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.RequireHttpsMetadata = web.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "preferred_username";
                o.Scope.Clear();
                o.Scope.Add("openid");
                foreach (var scope in web.Scopes.Distinct(StringComparer.Ordinal))
                {
                    o.Scope.Add(scope);
                }
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SignedOutRedirectUri = "/signed-out";
                if (!string.IsNullOrEmpty(web.Resource))
                {
                    // RFC 8707: the access token is for beacon-server (its audience), not for this app.
                    o.Events.OnRedirectToIdentityProvider = context =>
                    {
                        context.ProtocolMessage.Resource = web.Resource;
                        return Task.CompletedTask;
                    };
                    o.Events.OnAuthorizationCodeReceived = context =>
                    {
                        if (context.TokenEndpointRequest is { } request)
                        {
                            request.Resource = web.Resource;
                        }
                        return Task.CompletedTask;
                    };
                }
            });
        services.AddAuthorization();
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignedOut");
            o.Conventions.AllowAnonymousToPage("/Status");
            o.Conventions.AddFolderApplicationModelConvention("/Admin", model => model.Filters.Add(new AdminOnlyFilter()));
        }).AddApplicationPart(typeof(WebHost).Assembly); // the pages live here, whichever program hosts them
        return services;
    }

    public static WebApplication UseBeaconWeb(this WebApplication app)
    {
        app.UseExceptionHandler("/Status");
        app.UseStatusCodePagesWithReExecute("/Status", "?code={0}");
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/site.css", SiteStylesheet.Serve).AllowAnonymous();
        app.MapGet("/healthz", () => Results.Text("ok\n")).AllowAnonymous();
        app.MapRazorPages();
        return app;
    }
}
