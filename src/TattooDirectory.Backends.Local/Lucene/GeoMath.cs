using TattooDirectory.Core.Domain;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>Great-circle maths on a spherical Earth (the same model OpenSearch's geo_distance uses by default).</summary>
internal static class GeoMath
{
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>A latitude/longitude box; <see cref="MinLon"/> &gt; <see cref="MaxLon"/> when it wraps the antimeridian.</summary>
    public readonly record struct Box(double MinLat, double MaxLat, double MinLon, double MaxLon)
    {
        public bool WrapsAntimeridian => MinLon > MaxLon;
    }

    /// <summary>
    /// The smallest lat/lon box holding every point within <paramref name="radiusKm"/> of
    /// <paramref name="center"/> (J. P. Matuschek's bounding-coordinates method). The box is a
    /// cheap prefilter; the exact check is <see cref="Circle.DistanceKm"/>.
    /// </summary>
    public static Box BoundingBox(GeoPoint center, double radiusKm)
    {
        var angular = radiusKm / EarthRadiusKm;
        var lat = ToRadians(center.Lat);
        var minLat = lat - angular;
        var maxLat = lat + angular;
        if (minLat <= -Math.PI / 2 || maxLat >= Math.PI / 2 || angular >= Math.PI)
        {
            // The circle reaches a pole: every longitude is inside.
            return new Box(ToDegrees(Math.Max(minLat, -Math.PI / 2)), ToDegrees(Math.Min(maxLat, Math.PI / 2)), -180, 180);
        }
        var deltaLon = ToDegrees(Math.Asin(Math.Sin(angular) / Math.Cos(lat)));
        var minLon = center.Lon - deltaLon;
        var maxLon = center.Lon + deltaLon;
        if (minLon < -180) minLon += 360;
        if (maxLon > 180) maxLon -= 360;
        return new Box(ToDegrees(minLat), ToDegrees(maxLat), minLon, maxLon);
    }

    /// <summary>
    /// Grid resolutions, finest first, in cells per degree (0.1°, 0.25°, 1°). Each document is
    /// indexed with one cell term per resolution; a search picks the finest grid that covers its
    /// box in few cells, so the index narrows hits to about the box with a handful of term lookups.
    /// </summary>
    public static readonly int[] CellsPerDegree = [10, 4, 1];

    public const int MaxCoveringCells = 64;

    public static string CellField(int cellsPerDegree) => $"geo{cellsPerDegree}";

    public static string Cell(double lat, double lon, int cellsPerDegree) =>
        $"{(int)Math.Floor(lat * cellsPerDegree)}:{NormalizeColumn((int)Math.Floor(lon * cellsPerDegree), cellsPerDegree)}";

    /// <summary>The cells of the finest grid covering <paramref name="box"/> in at most <see cref="MaxCoveringCells"/>, or null when even the coarsest needs more.</summary>
    public static (string Field, IReadOnlyList<string> Cells)? CoveringCells(Box box)
    {
        foreach (var perDegree in CellsPerDegree)
        {
            var minRow = (int)Math.Floor(box.MinLat * perDegree);
            var maxRow = (int)Math.Floor(box.MaxLat * perDegree);
            var minCol = (int)Math.Floor(box.MinLon * perDegree);
            var maxCol = (int)Math.Floor(box.MaxLon * perDegree);
            if (box.WrapsAntimeridian) maxCol += 360 * perDegree;
            if ((long)(maxRow - minRow + 1) * (maxCol - minCol + 1) > MaxCoveringCells) continue;
            var cells = new List<string>();
            for (var row = minRow; row <= maxRow; row++)
            {
                for (var col = minCol; col <= maxCol; col++) cells.Add($"{row}:{NormalizeColumn(col, perDegree)}");
            }
            return (CellField(perDegree), cells);
        }
        return null;
    }

    /// <summary>Wraps a column into [-180°, 180°) so 180° and -180° share a cell on both sides.</summary>
    private static int NormalizeColumn(int column, int cellsPerDegree)
    {
        var full = 360 * cellsPerDegree;
        var half = 180 * cellsPerDegree;
        return ((((column + half) % full) + full) % full) - half;
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180);

    private static double ToDegrees(double radians) => radians * (180 / Math.PI);

    /// <summary>A centre with its trigonometry precomputed, because the collector measures every candidate hit.</summary>
    public readonly struct Circle(GeoPoint center)
    {
        private readonly double lat = ToRadians(center.Lat);
        private readonly double lon = ToRadians(center.Lon);
        private readonly double cosLat = Math.Cos(ToRadians(center.Lat));

        /// <summary>Haversine distance; NaN coordinates give NaN, which no radius accepts.</summary>
        public double DistanceKm(double latDegrees, double lonDegrees)
        {
            var otherLat = ToRadians(latDegrees);
            var sinHalfLat = Math.Sin((otherLat - lat) / 2);
            var sinHalfLon = Math.Sin((ToRadians(lonDegrees) - lon) / 2);
            var h = (sinHalfLat * sinHalfLat) + (cosLat * Math.Cos(otherLat) * sinHalfLon * sinHalfLon);
            return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(Math.Min(1, h)));
        }
    }
}
