using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Hosting;

public sealed class BackendOptions
{
    /// <summary>Which backend family serves the ports: Local (embedded, the default).</summary>
    public string Backend { get; set; } = "Local";
}

/// <summary>Chooses the backend family in one place; features only see the ports.</summary>
public static class Backend
{
    public static WebApplicationBuilder AddBackend(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackendOptions>().Bind(builder.Configuration)
            .Validate(o => string.Equals(o.Backend, "Local", StringComparison.OrdinalIgnoreCase), "Backend must be 'Local' (the AWS backend is not part of this build yet).")
            .ValidateOnStart();
        builder.Services.AddLocalBackend();
        builder.Services.AddSingleton<ArtistCatalog>();
        builder.Services.AddSingleton<TableSearch>();
        return builder;
    }

    public static WebApplication MapBackendEndpoints(this WebApplication app)
    {
        app.MapLocalBlobs();
        return app;
    }
}
