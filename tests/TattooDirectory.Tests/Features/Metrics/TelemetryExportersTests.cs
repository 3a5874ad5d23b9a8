using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Metrics;

/// <summary><c>Telemetry:Exporters</c> as an operator sets it: the app starts and serves with each exporter on, and refuses one it does not know.</summary>
public sealed class TelemetryExportersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_serves_with_the_emf_and_otlp_exporters_on()
    {
        // The OTLP endpoint is a closed loopback port: exporting fails quietly, serving must not.
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string>
        {
            ["Telemetry:Exporters:0"] = "emf",
            ["Telemetry:Exporters:1"] = "otlp",
            ["Telemetry:ExportInterval"] = "00:00:01",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        });

        using var styles = await host.Client.GetAsync("/v1/styles", Ct);
        using var health = await host.Client.GetAsync("/health", Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, styles.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task An_exporter_it_does_not_know_stops_the_start()
    {
        using var data = new TempDirectory();
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Telemetry:Exporters:0"] = "prometheus" }, data: data);
        });
    }
}
