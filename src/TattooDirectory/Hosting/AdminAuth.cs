using System.Security.Cryptography;
using System.Text;

namespace TattooDirectory.Hosting;

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The operator bearer token for /v1/admin; admin routes refuse everyone while it is unset.</summary>
    public string? Token { get; set; }
}

/// <summary>
/// Bearer-token check for operator routes: 401 without credentials, 403 with wrong ones, the
/// token compared in constant time so its value cannot be probed by timing.
/// </summary>
public static class AdminAuth
{
    public static WebApplicationBuilder AddAdminAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Validate(o => o.Token is null || o.Token.Length >= 16, "Admin:Token must be at least 16 characters.")
            .ValidateOnStart();
        return builder;
    }

    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup("/v1/admin" + prefix).WithTags("Admin").AddEndpointFilter(async (context, next) =>
        {
            var token = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value.Token;
            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: "Send the operator token as 'Authorization: Bearer <token>'.");
            }
            var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
            var expected = Encoding.UTF8.GetBytes(token ?? "");
            return token is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected))
                ? await next(context)
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The operator token is not valid.");
        });
}
