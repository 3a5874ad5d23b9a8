using System.Globalization;
using System.Net;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Bench.Soak;

/// <summary>One request of the soak and the answers that count as success for it.</summary>
internal sealed record SoakRequest(string Kind, HttpMethod Method, string Path, object? Body, params HttpStatusCode[] Expected);

/// <summary>
/// What the soak asks for, drawn from the seeded dataset. Artists are split in two: profiles and
/// profile pages are read only from the first set, removal requests only name the second, so a
/// purge never turns a read into an expected 404.
/// </summary>
internal sealed class SoakMix
{
    private readonly string[] _searches;
    private readonly string[] _readable;
    private readonly string[] _studios;
    private readonly string[] _styles = [.. StyleVocabulary.All.Select(s => s.Id)];
    private readonly Queue<string> _removable;

    public SoakMix(SeedDataset dataset)
    {
        var artists = dataset.Artists().Select(a => a.Artist).ToList();
        _readable = [.. artists.Where((_, i) => i % 2 == 0).Select(a => a.ArtistId)];
        _removable = new Queue<string>(artists.Where((_, i) => i % 2 == 1).Select(a => a.ArtistId));
        _studios = [.. dataset.Studios().Select(s => s.StudioId)];
        _searches = [.. Searches(artists, _styles)];
    }

    public int RemovableLeft => _removable.Count;

    /// <summary>A read as seekers make them: mostly searches, then profiles, studios, styles and the HTML pages.</summary>
    public SoakRequest NextRead(Random random)
    {
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.60 => Get("search", _searches[random.Next(_searches.Length)]),
            < 0.78 => Get("profile", $"/v1/artists/{_readable[random.Next(_readable.Length)]}"),
            < 0.83 => Get("studio", $"/v1/studios/{_studios[random.Next(_studios.Length)]}"),
            < 0.86 => Get("styles", "/v1/styles"),
            < 0.92 => Get("search page", $"/artists?styles={_styles[random.Next(_styles.Length)]}&page={random.Next(1, 4)}"),
            < 0.97 => Get("profile page", $"/artists/{_readable[random.Next(_readable.Length)]}"),
            _ => Get("home page", "/"),
        };
    }

    /// <summary>The next artist a removal request names; null once every removable artist has been asked about.</summary>
    public string? NextRemovable() => _removable.Count > 0 ? _removable.Dequeue() : null;

    private static SoakRequest Get(string kind, string path) => new(kind, HttpMethod.Get, path, null, HttpStatusCode.OK);

    /// <summary>Text (whole words, typos, prefixes), styles, places by name and by radius, in every sort and a few pages deep.</summary>
    private static IEnumerable<string> Searches(IReadOnlyList<Artist> artists, string[] styles)
    {
        var random = new Random(42);
        string[] sorts = ["relevance", "rating", "name"];
        for (var i = 0; i < 4000; i++)
        {
            var artist = artists[random.Next(artists.Count)];
            var word = artist.Name.Split(' ')[0];
            var query = new List<string>();
            switch (i % 5)
            {
                case 0: query.Add("query=" + Uri.EscapeDataString(word.ToLowerInvariant())); break;
                case 1: query.Add("query=" + Uri.EscapeDataString(word.Length > 4 ? word[..^1] + "x" : word)); break;
                case 2: query.Add("query=" + Uri.EscapeDataString(word[..Math.Min(3, word.Length)])); break;
                default: break;
            }
            if (i % 4 != 0) query.Add("styles=" + string.Join(',', new[] { styles[random.Next(styles.Length)], styles[random.Next(styles.Length)] }.Distinct()));
            if (i % 3 == 1) query.Add("location=" + Uri.EscapeDataString(artist.City));
            else if (i % 3 == 2)
            {
                query.Add(string.Create(CultureInfo.InvariantCulture, $"lat={artist.Geo.Lat:F4}&lon={artist.Geo.Lon:F4}&radiusKm={5 + random.Next(4) * 15}"));
                query.Add("sort=distance");
            }
            if (i % 3 != 2) query.Add("sort=" + sorts[random.Next(sorts.Length)]);
            if (i % 10 == 9) query.Add("page=" + random.Next(2, 5).ToString(CultureInfo.InvariantCulture));
            yield return "/v1/artists?" + string.Join('&', query);
        }
    }
}
