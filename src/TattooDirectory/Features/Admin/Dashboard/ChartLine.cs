using System.Globalization;
using System.Text;
using TattooDirectory.Features.Metrics;

namespace TattooDirectory.Features.Admin.Dashboard;

/// <summary>One line of a dashboard chart: what it is called, and its values one per step (null where nothing was sampled).</summary>
public sealed record ChartLine(string Label, IReadOnlyList<double?> Values)
{
    public static ChartLine From(string label, SeriesDto? series, int steps) => new(label, series?.Values ?? [.. Enumerable.Repeat<double?>(null, steps)]);

    public double? Last => Values.LastOrDefault(v => v is not null);

    public bool HasData => Values.Any(v => v is not null);
}

/// <summary>SVG geometry and readable numbers for the dashboard's charts, drawn on the server.</summary>
public static class ChartDrawing
{
    public const double Width = 600;
    public const double Height = 160;

    /// <summary>The top of the value axis: the largest value with some headroom, never zero.</summary>
    public static double Top(IEnumerable<ChartLine> lines)
    {
        var max = lines.SelectMany(l => l.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        return max <= 0 ? 1 : max * 1.1;
    }

    /// <summary>An SVG path through the values; a gap (null) lifts the pen. A lone point is drawn as a short tick so it shows.</summary>
    public static string Path(IReadOnlyList<double?> values, double top)
    {
        var path = new StringBuilder();
        var dx = values.Count > 1 ? Width / (values.Count - 1) : Width;
        var penDown = false;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                penDown = false;
                continue;
            }
            var x = values.Count > 1 ? i * dx : Width / 2;
            var y = Height - (Math.Clamp(value / top, 0, 1) * Height);
            var lone = !penDown && (i + 1 >= values.Count || values[i + 1] is null);
            path.Append(CultureInfo.InvariantCulture, $"{(penDown ? 'L' : 'M')}{x:0.#},{y:0.#}");
            if (lone) path.Append(CultureInfo.InvariantCulture, $"h{Math.Min(4, dx / 2):0.#}");
            path.Append(' ');
            penDown = true;
        }
        return path.ToString().TrimEnd();
    }

    public static string Seconds(double? seconds) => seconds switch
    {
        null => "—",
        < 0.001 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1_000_000:0} µs"),
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0.#} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.##} s"),
    };

    public static string Rate(double? perSecond) => perSecond is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.##}/s") : "—";

    public static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "—";

    public static string Days(double? days) => days is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.0} days") : "—";
}
