namespace TattooDirectory.Features.Metrics;

/// <summary>Where metrics and traces go besides the in-process history (which is always kept).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";
    public const string Otlp = "otlp";
    public const string Console = "console";
    public const string Emf = "emf";

    /// <summary>
    /// Any of <c>otlp</c> (endpoint from OTEL_EXPORTER_OTLP_ENDPOINT), <c>console</c> and <c>emf</c>
    /// (CloudWatch Embedded Metric Format lines on stdout: the AWS profile). None by default.
    /// </summary>
    public string[] Exporters { get; set; } = [];

    /// <summary>The CloudWatch namespace of the EMF metrics.</summary>
    public string EmfNamespace { get; set; } = "TattooDirectory";

    /// <summary>How often metrics are exported (CloudWatch stores them per minute).</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    public bool Uses(string exporter) => Exporters.Contains(exporter, StringComparer.OrdinalIgnoreCase);

    internal bool IsValid() =>
        Exporters.All(e => e.ToLowerInvariant() is Otlp or Console or Emf)
        && !string.IsNullOrWhiteSpace(EmfNamespace) && EmfNamespace.Length <= 255
        && ExportInterval >= TimeSpan.FromSeconds(1);
}
