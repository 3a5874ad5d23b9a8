using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Admin;

/// <summary>
/// The operator pages (Razor components in this folder, found by the router) and the one
/// endpoint they need besides: signing out.
/// </summary>
public static class AdminModule
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        app.MapPost(AdminPaths.SignOut, SignOutAsync)
            .RequireAuthorization(AdminAuth.PagesPolicy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .WithBodyLimit(1024)
            .ExcludeFromDescription();
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, BadRequest>> SignOutAsync(HttpContext context, ILogger<AdminCookieEvents> logger)
    {
        // The antiforgery middleware only records its verdict for endpoints that bind no form.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true }) return TypedResults.BadRequest();
        await context.SignOutAsync(AdminAuth.CookieScheme);
        AdminLog.SignedOut(logger, context.TraceIdentifier);
        return TypedResults.LocalRedirect(AdminAuth.SignInPath);
    }
}

internal static class AdminPaths
{
    public const string Overview = AdminAuth.PagesPrefix;
    public const string Sync = "/admin/sync";
    public const string Removals = "/admin/removals";
    public const string Notifications = "/admin/notifications";
    public const string Alarms = "/admin/alarms";
    public const string SignOut = "/admin/sign-out";

    /// <summary>
    /// Where a sign-in may send the browser: an address on this site only (never another host,
    /// nor something a browser would read as one once it drops control characters), else the overview.
    /// </summary>
    public static string LocalOrOverview(string? url) =>
        url is ['/', ..] && RedirectHttpResult.IsLocalUrl(url) && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? url : Overview;
}

/// <summary>What the admin pages log: request ids, never tokens or who the operator is.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Operator signed in (request {RequestId})")]
    public static partial void SignedIn(ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator sign-in refused: wrong token (request {RequestId})")]
    public static partial void SignInRefused(ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator signed out (request {RequestId})")]
    public static partial void SignedOut(ILogger logger, string requestId);
}
