using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Tests.Contracts;

public abstract partial class SearchIndexContract<TIndex> where TIndex : class, ISearchIndex
{
    // ---- Helpers --------------------------------------------------------------------------------

    protected static ArtistDocument Artist(string id, long version = 1) => new()
    {
        ArtistId = id,
        Version = version,
        Name = "Sam Example",
        City = "Manchester",
        LocationDisplay = "Northern Quarter, Manchester",
        Geo = Manchester,
        Styles = ["illustrative"],
        Bio = "Custom pieces by appointment.",
        Rating = 4.5,
        ReviewCount = 10,
    };

    protected static IndexOperation Upsert(ArtistDocument document) => new IndexOperation.Upsert(document);

    protected Task<int> ApplyAsync(params ArtistDocument[] documents) =>
        Index.ApplyAsync([.. documents.Select(Upsert)], Ct);

    protected async Task SeedAsync(params ArtistDocument[] documents)
    {
        Assert.Equal(documents.Length, await ApplyAsync(documents));
        await Index.RefreshAsync(Ct);
    }

    protected Task<SearchResult> SearchAsync(SearchRequest request) => Index.SearchAsync(request, Ct);

    protected static IReadOnlyList<string> Ids(SearchResult result) => [.. result.Hits.Select(h => h.Document.ArtistId)];

    /// <summary>The point <paramref name="km"/> away along a great circle (spherical Earth, mean radius).</summary>
    protected static GeoPoint Offset(GeoPoint from, double km, double bearingDegrees)
    {
        const double earthRadiusKm = 6371.0088;
        var angular = km / earthRadiusKm;
        var bearing = double.DegreesToRadians(bearingDegrees);
        var lat1 = double.DegreesToRadians(from.Lat);
        var lon1 = double.DegreesToRadians(from.Lon);
        var lat2 = Math.Asin((Math.Sin(lat1) * Math.Cos(angular)) + (Math.Cos(lat1) * Math.Sin(angular) * Math.Cos(bearing)));
        var lon2 = lon1 + Math.Atan2(Math.Sin(bearing) * Math.Sin(angular) * Math.Cos(lat1), Math.Cos(angular) - (Math.Sin(lat1) * Math.Sin(lat2)));
        return new GeoPoint(double.RadiansToDegrees(lat2), ((double.RadiansToDegrees(lon2) + 540) % 360) - 180);
    }
}
