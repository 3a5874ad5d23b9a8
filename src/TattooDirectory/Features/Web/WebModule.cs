using System.IO.Compression;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.AspNetCore.ResponseCompression;
using TattooDirectory.Features.Web.Components;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Web;

/// <summary>The server-rendered pages (static SSR Razor components), their assets and the site-wide HTTP policy.</summary>
public static class WebModule
{
    // Named after this assembly rather than the host's ApplicationName, which is the test
    // assembly when the tests or the benchmark harness host the app.
    private static readonly string AssetsPrefix = Path.Combine(AppContext.BaseDirectory, typeof(WebModule).Assembly.GetName().Name!);
    private static string StaticAssetsManifest => AssetsPrefix + ".staticwebassets.endpoints.json";

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        UseBuildOutputAssets(builder);
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section)
            .Validate(o => o.IsValid, "Map:TileUrl must be empty or an absolute http(s) URL template containing {z}, {x} and {y}.")
            .ValidateOnStart();
        builder.Services.AddRazorComponents();
        builder.Services.AddResponseCompression(o =>
        {
            // Pages and API answers carry no secrets (no tokens, no personal data), so compressing
            // them over HTTPS opens no BREACH-style leak.
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
        builder.Services.AddSingleton<PageAssets>();
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets(StaticAssetsManifest);
        app.MapRazorComponents<App>().WithStaticAssets(StaticAssetsManifest).AnswerHead();
        return app;
    }

    /// <summary>
    /// A build (dotnet run, tests, the benchmark harness) keeps wwwroot and its precompressed
    /// copies where the build left them, listed in a runtime manifest that ASP.NET Core only
    /// reads in Development; elsewhere the compressed stylesheet would be served empty. Outside
    /// Development a build also turns off the hot-reload handler, which would send every asset
    /// with no-cache, so it serves its assets as a published app does (fingerprinted URLs
    /// immutable, precompressed copies). A published app has no runtime manifest and serves its
    /// own wwwroot.
    /// </summary>
    private static void UseBuildOutputAssets(WebApplicationBuilder builder)
    {
        var runtimeManifest = AssetsPrefix + ".staticwebassets.runtime.json";
        if (builder.Environment.IsDevelopment() || !File.Exists(runtimeManifest)) return;
        builder.Configuration[WebHostDefaults.StaticWebAssetsKey] = runtimeManifest;
        builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        StaticWebAssetsLoader.UseStaticWebAssets(builder.Environment, builder.Configuration);
    }
}
