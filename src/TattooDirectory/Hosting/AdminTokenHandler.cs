using System.Globalization;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Hosting;

/// <summary>
/// The <c>Authorization: Bearer &lt;operator token&gt;</c> scheme of the admin API. No header or
/// another scheme is a 401 that says how to authenticate; a token that does not match is a 403,
/// so a script can tell "say who you are" from "that is not who we let in". A client that sends
/// too many wrong tokens is answered 429 until its minute is over, whatever it sends.
/// </summary>
internal sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken token,
    FailedTokenAttempts failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";
    private const string LockedOut = "Too many wrong operator tokens from this client.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var client = RateLimits.ClientKey(Context);
        if (failures.IsLockedOut(client)) return Task.FromResult(AuthenticateResult.Fail(LockedOut));
        if (!token.Matches(header[Prefix.Length..].Trim()))
        {
            failures.Record(client);
            return Task.FromResult(AuthenticateResult.Fail("The operator token is not valid."));
        }
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

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if ((await HandleAuthenticateOnceSafeAsync()).Failure?.Message == LockedOut)
        {
            Response.Headers.RetryAfter = ((int)FailedTokenAttempts.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: LockedOut).ExecuteAsync(Context);
            return;
        }
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The operator token is not valid.").ExecuteAsync(Context);
    }
}

/// <summary>Wrong operator tokens per client, counted in fixed one-minute windows.</summary>
internal sealed class FailedTokenAttempts(IOptions<AdminOptions> options) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailedTokensPerMinute,
            Window = Window,
            QueueLimit = 0,
        }));

    public bool IsLockedOut(string client) => _limiter.GetStatistics(client)?.CurrentAvailablePermits == 0;

    public void Record(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
    }

    public void Dispose() => _limiter.Dispose();
}
