using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Hosting;

/// <summary>
/// The <c>Authorization: Bearer &lt;operator token&gt;</c> scheme of the admin API. No header or
/// another scheme is a 401 that says how to authenticate; a token that does not match is a 403,
/// so a script can tell "say who you are" from "that is not who we let in".
/// </summary>
internal sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken token)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!token.Matches(header[Prefix.Length..].Trim())) return Task.FromResult(AuthenticateResult.Fail("The operator token is not valid."));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(AdminAuth.Operator(Scheme.Name), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if ((await HandleAuthenticateOnceSafeAsync()).Failure is not null)
        {
            await HandleForbiddenAsync(properties);
            return;
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required",
            detail: "Send the operator token as 'Authorization: Bearer <token>'.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The operator token is not valid.").ExecuteAsync(Context);
}
