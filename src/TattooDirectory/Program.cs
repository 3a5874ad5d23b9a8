using TattooDirectory.Features.Admin;
using TattooDirectory.Features.Alarms;
using TattooDirectory.Features.Aggregation;
using TattooDirectory.Features.Artists;
using TattooDirectory.Features.Health;
using TattooDirectory.Features.Metrics;
using TattooDirectory.Features.Notifications;
using TattooDirectory.Features.Removal;
using TattooDirectory.Features.Scheduling;
using TattooDirectory.Features.Seed;
using TattooDirectory.Features.Studios;
using TattooDirectory.Features.Styles;
using TattooDirectory.Features.Sync;
using TattooDirectory.Features.Web;
using TattooDirectory.Hosting;

return await DirectoryCommandLine.InvokeAsync(args);

/// <summary>The directory as one ASP.NET Core app: a table of contents of its backends and features.</summary>
public static class DirectoryApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddObservability();
        builder.AddAdminAuth();
        builder.AddBackend();
        builder.AddRoles();
        builder.AddSeed();
        builder.AddSync();
        builder.AddNotifications();
        builder.AddArtists();
        builder.AddRemoval();
        builder.AddHealth();
        builder.AddWeb();
        builder.AddScheduling();
        builder.AddAggregation();
        builder.AddAlarms();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapRoles();
        app.MapBackendEndpoints();
        app.MapArtistsApi();
        app.MapStudiosApi();
        app.MapStylesApi();
        app.MapSyncAdminApi();
        app.MapNotificationsApi();
        app.MapRemoval();
        app.MapSchedulingApi();
        app.MapAggregation();
        app.MapAlarms();
        app.MapAdmin();
        app.MapMetricsApi();
        app.MapHealth();
        app.MapWeb();
        return app;
    }
}
