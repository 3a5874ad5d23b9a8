using System.Globalization;

namespace TattooDirectory.Features.Web;

/// <summary>How the pages write numbers people read.</summary>
internal static class Format
{
    public static string Distance(double km) => km < 10
        ? $"{km.ToString("0.0", CultureInfo.InvariantCulture)} km away"
        : $"{km.ToString("N0", CultureInfo.InvariantCulture)} km away";

    public static string Count(int n, string one, string many) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";
}
