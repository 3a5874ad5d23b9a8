using System.Globalization;

namespace TattooDirectory.Hosting;

/// <summary>
/// Reads query parameters as raw strings into a per-parameter error map, so a wrong type, an
/// overflow or a repeated parameter answers a validation problem naming it rather than a
/// framework binding error.
/// </summary>
public static class QueryParameters
{
    public static string? Single(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0) return null;
        if (values.Count > 1)
        {
            errors[name] = [$"{name} must be given once."];
            return null;
        }
        return values[0];
    }

    public static double? Number(IQueryCollection query, string name, double min, double max, Dictionary<string, string[]> errors)
    {
        if (Single(query, name, errors) is not { } raw) return null;
        if (raw.Length <= 32 && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max) return value;
        errors[name] = [$"{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}."];
        return null;
    }

    public static int? Integer(IQueryCollection query, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (Single(query, name, errors) is not { } raw) return null;
        if (raw.Length <= 12 && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[name] = [$"{name} must be a whole number from {min} to {max}."];
        return null;
    }
}
