namespace TattooDirectory.Core.Domain;

/// <summary>
/// Geohash encoding and covering. The table keys artists by geohash (GSI1) so that the degraded
/// search can select an area with a handful of prefix queries when the search index is down.
/// </summary>
public static class Geohash
{
    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    public static string Encode(GeoPoint point, int precision = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 12);
        double latMin = -90, latMax = 90, lonMin = -180, lonMax = 180;
        Span<char> chars = stackalloc char[precision];
        var even = true;
        for (var i = 0; i < precision; i++)
        {
            var index = 0;
            for (var bit = 4; bit >= 0; bit--)
            {
                if (even)
                {
                    var mid = (lonMin + lonMax) / 2;
                    if (point.Lon >= mid) { index |= 1 << bit; lonMin = mid; } else { lonMax = mid; }
                }
                else
                {
                    var mid = (latMin + latMax) / 2;
                    if (point.Lat >= mid) { index |= 1 << bit; latMin = mid; } else { latMax = mid; }
                }
                even = !even;
            }
            chars[i] = Alphabet[index];
        }
        return new string(chars);
    }

    /// <summary>
    /// The geohash cells that together cover a circle, at the finest precision that needs no more
    /// than <paramref name="maxCells"/> cells. Coarser cells mean fewer queries but more filtering.
    /// </summary>
    public static IReadOnlyList<string> Cover(GeoPoint center, double radiusKm, int maxCells = 16)
    {
        var box = GeoMath.BoundingBox(center, radiusKm);
        // A box across the antimeridian is covered as the whole band of longitudes: simpler, still correct.
        var (south, north) = (box.MinLat, box.MaxLat);
        var (west, east) = box.WrapsAntimeridian ? (-180.0, 180.0) : (box.MinLon, box.MaxLon);
        for (var precision = 6; precision >= 1; precision--)
        {
            var (cellLat, cellLon) = CellSize(precision);
            var rows = (int)Math.Ceiling((north - south) / cellLat) + 1;
            var cols = (int)Math.Ceiling((east - west) / cellLon) + 1;
            if ((long)rows * cols > maxCells) continue;
            var cells = new SortedSet<string>(StringComparer.Ordinal);
            for (var lat = south; lat <= north + cellLat; lat += cellLat)
            {
                for (var lon = west; lon <= east + cellLon; lon += cellLon)
                {
                    cells.Add(Encode(new GeoPoint(Math.Min(lat, north), Math.Min(lon, east)), precision));
                }
            }
            if (cells.Count <= maxCells) return [.. cells];
        }
        return [.. Alphabet.Select(c => c.ToString())];
    }

    private static (double Lat, double Lon) CellSize(int precision)
    {
        var bits = precision * 5;
        var lonBits = (bits + 1) / 2;
        var latBits = bits / 2;
        return (180.0 / (1L << latBits), 360.0 / (1L << lonBits));
    }
}
