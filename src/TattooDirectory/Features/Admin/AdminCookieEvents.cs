using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using TattooDirectory.Features.Web;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Admin;

/// <summary>
/// How the admin sign-in cookie behaves: it only holds while the token it was issued for is the
/// current one, and a page that needs it answers 401 with the sign-in form instead of redirecting,
/// so a person sees the form and a script sees 401.
/// </summary>
internal sealed class AdminCookieEvents(AdminToken token) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var issuedFor = context.Principal?.FindFirst(AdminAuth.FingerprintClaim)?.Value;
        if (token.Fingerprint is { } current && string.Equals(issuedFor, current, StringComparison.Ordinal)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AdminAuth.CookieScheme);
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) => WriteSignInFormAsync(context.HttpContext);

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        // Left without a body so the status-code pages render the site's 403 page.
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Renders the sign-in page in place of the page asked for, as the router would at
    /// <see cref="AdminAuth.SignInPath"/>, with a return address back to it (a GET address only:
    /// a form post is not something to replay).
    /// </summary>
    private static Task WriteSignInFormAsync(HttpContext context)
    {
        var request = context.Request;
        var returnUrl = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? (request.PathBase + request.Path + request.QueryString).ToString()
            : AdminAuth.PagesPrefix;
        return PageResults.Page(AdminAuth.SignInPath, StatusCodes.Status401Unauthorized, QueryString.Create(SignIn.ReturnUrlParameter, returnUrl)).ExecuteAsync(context);
    }
}
