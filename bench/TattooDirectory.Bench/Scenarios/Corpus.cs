using TattooDirectory.Backends.Local;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>Generated artists as search documents, straight from the seed generator (no images rendered).</summary>
public static class Corpus
{
    public static SeedOptions Options(int artists) => new(artists, Math.Max(1, artists / 5));

    public static IEnumerable<ArtistDocument> Documents(int artists, LocalStores stores)
    {
        var dataset = new SeedDataset(Options(artists));
        var studios = dataset.Studios().ToDictionary(s => s.StudioId, StringComparer.Ordinal);
        foreach (var a in dataset.Artists())
        {
            var studio = a.Artist.StudioId is null ? null : studios.GetValueOrDefault(a.Artist.StudioId);
            yield return ArtistItems.Document(a.Artist, studio, [.. a.Images.Select(i => i.Image)], version: 1, stores.Blobs);
        }
    }

    public static async Task<double> IndexAsync(ISearchIndex index, IEnumerable<ArtistDocument> documents, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var batch = new List<IndexOperation>(5000);
        var count = 0;
        foreach (var document in documents)
        {
            batch.Add(new IndexOperation.Upsert(document));
            count++;
            if (batch.Count == 5000) { await index.ApplyAsync(batch, ct); batch.Clear(); }
        }
        if (batch.Count > 0) await index.ApplyAsync(batch, ct);
        await index.RefreshAsync(ct);
        await index.CommitAsync(ct);
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A deterministic mix of the searches seekers make: text, styles, place, and all three, with facets always on.</summary>
    public static List<SearchRequest> MixedQueries(IReadOnlyList<ArtistDocument> sample, int count)
    {
        var random = new Random(42);
        var cities = new GeoPoint[] { new(53.7997, -1.5492), new(53.4808, -2.2426), new(51.5072, -0.1276), new(52.4862, -1.8904), new(55.8642, -4.2518) };
        var styles = StyleVocabulary.All.Select(s => s.Id).ToArray();
        var queries = new List<SearchRequest>(count);
        for (var i = 0; i < count; i++)
        {
            var doc = sample[random.Next(sample.Count)];
            var word = doc.Name.Split(' ')[random.Next(2)];
            var text = (i % 7) switch
            {
                0 => word.ToLowerInvariant(),
                1 => word.Length > 5 ? word[..^1] + "x" : word, // a typo
                2 => word[..Math.Min(3, word.Length)], // search-as-you-type prefix
                _ => null,
            };
            var geo = (i % 3) != 0 ? new GeoFilter(cities[random.Next(cities.Length)], random.Next(3) switch { 0 => 5, 1 => 25, _ => 50 }) : null;
            var chosen = (i % 4) != 0 ? new[] { styles[random.Next(styles.Length)], styles[random.Next(styles.Length)] }.Distinct().ToArray() : [];
            queries.Add(new SearchRequest
            {
                Text = text,
                Styles = chosen,
                Geo = geo,
                Sort = text is not null ? SearchSort.Relevance : geo is not null ? SearchSort.Distance : SearchSort.Rating,
                Page = 1 + (i % 10 == 9 ? 3 : 0),
                Limit = 20,
            });
        }
        return queries;
    }
}
