using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace TattooDirectory.Hosting;

/// <summary>The cross-cutting HTTP behaviour every feature relies on.</summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.AddDirectoryLogging();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<DirectoryMetrics>();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Endpoints may lower it (WithBodyLimit); RequestBodyLimits answers 413 either way.
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            // Long enough that an over-long query parameter reaches validation and gets a
            // problem+json naming it, instead of Kestrel's bare 414.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.MaxRequestBufferSize = 128 * 1024;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var requestId = ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance = requestId;
            ctx.ProblemDetails.Extensions["requestId"] = requestId;
            ctx.ProblemDetails.Type ??= $"https://httpstatuses.io/{ctx.ProblemDetails.Status}";
        });
        builder.AddRateLimits();
        builder.AddResponseCache();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Tattoo Directory API";
            doc.Info.Description = "Search UK tattoo artists by keyword, style and location.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseAdminAuth();
        app.UseRequestBodyLimits();
        // Outside the output cache, so a response served from it still gets its ETag and 304.
        app.UseMiddleware<ConditionalGetMiddleware>();
        app.UseResponseCache();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Tattoo Directory API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
