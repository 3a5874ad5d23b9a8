using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local;
using TattooDirectory.Features.Admin;

namespace TattooDirectory.Hosting;

public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const int MinimumTokenLength = 16;

    /// <summary>
    /// The operator token for /v1/admin (bearer) and the /admin sign-in. Unset on the Local backend:
    /// one is generated into the data directory; unset elsewhere: admin routes refuse everyone.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Sign-in attempts per client IP and minute, against guessing the token.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Wrong bearer tokens per client IP and minute on the admin API; past it the client gets 429
    /// for the rest of the minute, right token or not, so the API cannot be used to guess it.
    /// </summary>
    public int FailedTokensPerMinute { get; set; } = 30;
}

/// <summary>
/// Operator authentication on ASP.NET Core's own authentication and authorization: the admin API
/// takes the token as a bearer header and nothing else; the admin pages take a sign-in cookie
/// and nothing else, so a stolen cookie cannot drive the API and a script's header cannot open a page.
/// </summary>
public static class AdminAuth
{
    /// <summary>The bearer scheme of <c>/v1/admin/**</c>.</summary>
    public const string BearerScheme = "AdminToken";

    /// <summary>The sign-in cookie scheme of the <c>/admin/**</c> pages.</summary>
    public const string CookieScheme = "AdminCookie";

    /// <summary>The policy of the admin API; <see cref="MapAdminGroup"/> applies it.</summary>
    public const string ApiPolicy = "AdminApi";

    /// <summary>The policy of the admin pages: <c>@attribute [Authorize(Policy = AdminAuth.PagesPolicy)]</c>.</summary>
    public const string PagesPolicy = "AdminPages";

    public const string SignInRateLimit = "admin-sign-in";
    public const string ApiPrefix = "/v1/admin";
    public const string PagesPrefix = "/admin";
    public const string SignInPath = "/admin/sign-in";

    internal const string OperatorName = "operator";
    internal const string FingerprintClaim = "admin-token";

    public static WebApplicationBuilder AddAdminAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Validate(o => o.Token is null || o.Token.Length >= AdminOptions.MinimumTokenLength, $"Admin:Token must be at least {AdminOptions.MinimumTokenLength} characters.")
            .Validate(o => o.SignInAttemptsPerMinute > 0, "Admin:SignInAttemptsPerMinute must be positive.")
            .Validate(o => o.FailedTokensPerMinute > 0, "Admin:FailedTokensPerMinute must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AdminToken>();
        builder.Services.AddSingleton<FailedTokenAttempts>();
        builder.Services.AddHostedService<AdminTokenNotice>();
        PersistDataProtectionKeys(builder.Services);
        // Keys sit unencrypted by design, in an owner-only folder beside the operator token and the
        // blob signing key; the framework's warning about it on every new key would only alarm.
        builder.Logging.AddFilter(typeof(XmlKeyManager).FullName, LogLevel.Error);

        builder.Services.AddSingleton<AdminCookieEvents>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(BearerScheme, displayName: null, _ => { })
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "td-admin";
                // Sent with admin pages only: public pages stay cookie-free and cacheable.
                o.Cookie.Path = PagesPrefix;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.EventsType = typeof(AdminCookieEvents);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(BearerScheme).RequireAuthenticatedUser())
            .AddPolicy(PagesPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser());

        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<AdminOptions>>((limiter, admin) =>
            limiter.AddPolicy(SignInRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(RateLimits.ClientKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = admin.Value.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                // Showing the form costs nothing and guesses nothing; only attempts count.
                : RateLimitPartition.GetNoLimiter("form")));
        return builder;
    }

    /// <summary>Admin answers are never stored by browsers or proxies; then authentication and authorization.</summary>
    public static WebApplication UseAdminAuth(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (IsAdminPath(context.Request.Path))
            {
                // On starting, so error and challenge responses that clear the headers carry it too.
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>A group under <c>/v1/admin</c> that only the operator token (bearer) opens.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(ApiPrefix + prefix).WithTags("Admin").RequireAuthorization(ApiPolicy);

    /// <summary>The operator as a principal of the given scheme; a cookie also names the token it was issued for.</summary>
    internal static ClaimsPrincipal Operator(string scheme, string? tokenFingerprint = null)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, OperatorName)], scheme);
        if (tokenFingerprint is not null) identity.AddClaim(new Claim(FingerprintClaim, tokenFingerprint));
        return new ClaimsPrincipal(identity);
    }

    public static bool IsAdminPath(PathString path) => path.StartsWithSegments(PagesPrefix) || path.StartsWithSegments(ApiPrefix);

    /// <summary>
    /// Keys beside the data on the Local backend, so sign-in cookies and form tokens survive a
    /// restart; readable by the owner only, like the operator token itself.
    /// </summary>
    private static void PersistDataProtectionKeys(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("TattooDirectory");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            if (provider.GetService<LocalPaths>() is not { } paths) return;
            var path = Path.Combine(paths.Root, "keys");
            var directory = OperatingSystem.IsWindows()
                ? Directory.CreateDirectory(path)
                : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.XmlRepository = new FileSystemXmlRepository(directory, provider.GetRequiredService<ILoggerFactory>());
        });
    }
}
