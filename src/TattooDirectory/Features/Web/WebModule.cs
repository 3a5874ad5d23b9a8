using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using TattooDirectory.Features.Web.Components;

namespace TattooDirectory.Features.Web;

/// <summary>The server-rendered pages (static SSR Razor components), their assets and the site-wide HTTP policy.</summary>
public static class WebModule
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section)
            .Validate(o => o.IsValid, "Map:TileUrl must be empty or an absolute http(s) URL template containing {z}, {x} and {y}.")
            .ValidateOnStart();
        builder.Services.AddRazorComponents();
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", "image/svg+xml"];
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.AddTransient<IStartupFilter, WebFrontStartupFilter>();
        builder.Services.AddExceptionHandler<PageExceptionHandler>();
        builder.Services.Configure<StatusCodePagesOptions>(StatusPages.UseHtmlForPages);
        builder.Services.AddSingleton<DirectoryPages>();
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        return app;
    }
}
