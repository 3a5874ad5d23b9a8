using TattooDirectory.Core.Domain;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>The geo grid the index prefilters on before the exact distance check.</summary>
internal static class GeoGrid
{
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
    public static (string Field, IReadOnlyList<string> Cells)? CoveringCells(GeoMath.Box box)
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

}
