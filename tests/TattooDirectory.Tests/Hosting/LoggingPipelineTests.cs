using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Hosting;

/// <summary>The logging the app sets up, through the real factory and console formatter (no server is started).</summary>
public sealed class LoggingPipelineTests
{
    [Fact]
    public async Task A_name_in_a_template_property_and_an_email_in_an_exception_come_out_of_the_console_redacted()
    {
        var console = new ConsoleLines();
        await using var app = Build(console);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Careless.Caller");
        var failure = LogRedactionTests.Thrown(new InvalidOperationException("No account for someone.private@example.org"));

#pragma warning disable CA1848, CA2254 // The careless call site is the point of the test.
        logger.LogError(failure, "Could not update {ArtistId} ({ArtistName}) with {Images} images", "artist-3f9a2c", "Jane Doe", 4);
#pragma warning restore CA1848, CA2254

        var line = Assert.Single(console.All);
        Assert.DoesNotContain("Jane Doe", line, StringComparison.Ordinal);
        Assert.DoesNotContain("someone.private", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("Careless.Caller", root.GetProperty("Category").GetString());
        Assert.Equal("Could not update artist-3f9a2c ([redacted]) with 4 images", root.GetProperty("Message").GetString());
        Assert.Equal("[redacted]", root.GetProperty("State").GetProperty("ArtistName").GetString());
        Assert.Equal("artist-3f9a2c", root.GetProperty("State").GetProperty("ArtistId").GetString());
        Assert.Equal(4, root.GetProperty("State").GetProperty("Images").GetInt32());
        var exception = root.GetProperty("Exception").GetString()!;
        Assert.StartsWith("System.InvalidOperationException: No account for [email]", exception, StringComparison.Ordinal);
        Assert.Contains(nameof(LogRedactionTests.Thrown), exception, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_provider_gets_the_redacted_line_and_scopes_are_redacted_too()
    {
        var captured = new CapturedLogs();
        var console = new ConsoleLines();
        await using var app = Build(console, b => b.Logging.AddProvider(captured));
        var logger = app.Services.GetRequiredService<ILogger<LoggingPipelineTests>>();

#pragma warning disable CA1848 // A scope and a plain call, as any call site might write them.
        using (logger.BeginScope("Working for {RequesterEmail}", "req@example.org"))
        {
            logger.LogWarning("Handle {Handle} seen", "inkbyjane");
        }
#pragma warning restore CA1848

        var log = Assert.Single(captured.All);
        Assert.Equal("Handle [redacted] seen", log.Message);
        Assert.DoesNotContain(log.Values, v => v.Contains("inkbyjane", StringComparison.Ordinal));
        var line = Assert.Single(console.All);
        Assert.DoesNotContain("req@example.org", line, StringComparison.Ordinal);
        Assert.Contains("Working for [redacted]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_are_json_with_a_utc_timestamp_and_carry_the_trace_ids_of_the_current_activity()
    {
        var console = new ConsoleLines();
        await using var app = Build(console);
        var logger = app.Services.GetRequiredService<ILogger<LoggingPipelineTests>>();
        using var activity = new Activity("unit-of-work").Start();

#pragma warning disable CA1848
        logger.LogInformation("Pass moved {Count} records", 3);
#pragma warning restore CA1848

        using var json = JsonDocument.Parse(Assert.Single(console.All));
        var timestamp = json.RootElement.GetProperty("Timestamp").GetString()!;
        Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), timestamp);
        var scopes = json.RootElement.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var id) && id.GetString() == activity.TraceId.ToHexString());
        Assert.Contains(scopes, s => s.TryGetProperty("SpanId", out var id) && id.GetString() == activity.SpanId.ToHexString());
    }

    [Fact]
    public async Task The_directorys_activity_source_makes_activities_even_when_no_tracer_listens()
    {
        await using var app = Build(new ConsoleLines());
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var activity = Telemetry.Source.StartActivity("some.unit");

        Assert.NotNull(activity);
        Assert.NotEqual(default, activity.TraceId);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Configuration_can_switch_the_console_back_to_plain_text()
    {
        var console = new ConsoleLines();
        await using var app = Build(console, settings: ["--Logging:Console:FormatterName=simple"]);

#pragma warning disable CA1848
        app.Services.GetRequiredService<ILogger<LoggingPipelineTests>>().LogInformation("Plain {Count}", 1);
#pragma warning restore CA1848

        Assert.StartsWith("info: ", console.All[0], StringComparison.Ordinal);
    }

    private static WebApplication Build(ConsoleLines console, Action<WebApplicationBuilder>? configure = null, string[]? settings = null)
    {
        var builder = WebApplication.CreateBuilder([.. settings ?? [], "--urls=http://127.0.0.1:0"]);
        builder.AddDirectoryLogging();
        console.AddTo(builder);
        configure?.Invoke(builder);
        return builder.Build();
    }
}
