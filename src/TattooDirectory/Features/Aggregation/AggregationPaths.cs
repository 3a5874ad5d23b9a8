using System.Globalization;

namespace TattooDirectory.Features.Aggregation;

/// <summary>The operator pages of the aggregation run, and how they show times.</summary>
internal static class AggregationPaths
{
    public const string Runs = "/admin/runs";
    public const string Queues = "/admin/queues";

    public static string Run(string runId) => $"{Runs}/{Uri.EscapeDataString(runId)}";

    public static string When(DateTimeOffset? at) => at?.ToString("HH:mm:ss 'UTC', d MMM yyyy", CultureInfo.InvariantCulture) ?? "–";

    public static string Count(int? n) => n?.ToString("N0", CultureInfo.InvariantCulture) ?? "–";
}
