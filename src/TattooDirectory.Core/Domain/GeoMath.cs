namespace TattooDirectory.Core.Domain;

/// <summary>
/// Great-circle maths on a spherical Earth (the model OpenSearch's geo_distance uses by default),
/// shared by the index, the degraded table search and the seed generator.
/// </summary>
public static class GeoMath
{
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>A latitude/longitude box; <see cref="MinLon"/> &gt; <see cref="MaxLon"/> when it wraps the antimeridian.</summary>
    public readonly record struct Box(double MinLat, double MaxLat, double MinLon, double MaxLon)
    {
        public bool WrapsAntimeridian => MinLon > MaxLon;
    }

    public static double DistanceKm(GeoPoint a, GeoPoint b) => new Circle(a).DistanceKm(b.Lat, b.Lon);

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

    internal static double ToRadians(double degrees) => degrees * (Math.PI / 180);

    internal static double ToDegrees(double radians) => radians * (180 / Math.PI);

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
