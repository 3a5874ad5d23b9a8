using TattooDirectory.Core.Domain;

namespace TattooDirectory.Core.Places;

public static class GeoDistance
{
    /// <summary>Mean Earth radius (IUGG), the value OpenSearch and Lucene use for geo distance.</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle (haversine) distance in kilometres.</summary>
    public static double Kilometres(GeoPoint a, GeoPoint b)
    {
        var dLat = DegreesToRadians(b.Lat - a.Lat);
        var dLon = DegreesToRadians(b.Lon - a.Lon);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(DegreesToRadians(a.Lat)) * Math.Cos(DegreesToRadians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
