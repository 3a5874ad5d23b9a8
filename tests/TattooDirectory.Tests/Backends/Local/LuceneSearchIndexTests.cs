using System.Diagnostics;
using TattooDirectory.Backends.Local.Lucene;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Tests.Contracts;

namespace TattooDirectory.Tests.Backends.Local;

/// <summary>The search index contract on Lucene.NET in a temp directory, plus what only Lucene has.</summary>
public sealed class LuceneSearchIndexTests : SearchIndexContract<LuceneSearchIndex>, IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"td-lucene-{Guid.NewGuid():N}");
    private readonly List<LuceneSearchIndex> opened = [];

    private string IndexPath => Path.Combine(root, "nested", "index");

    protected override LuceneSearchIndex CreateIndex() => Open(IndexPath);

    protected override LuceneSearchIndex Reopen(LuceneSearchIndex current)
    {
        current.Dispose();
        return Open(IndexPath);
    }

    public void Dispose()
    {
        foreach (var index in opened) index.Dispose();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task The_index_directory_is_created_when_missing()
    {
        await SeedAsync(Artist("artist-0001"));
        await Index.CommitAsync(Ct);

        Assert.NotEmpty(Directory.GetFiles(IndexPath));
    }

    [Fact]
    public async Task An_in_memory_index_needs_no_directory()
    {
        var memory = Open(null);
        await memory.ApplyAsync([Upsert(Artist("artist-0001") with { Name = "Rosa Thorn" })], Ct);
        await memory.RefreshAsync(Ct);
        await memory.CommitAsync(Ct);

        Assert.Equal(1, (await memory.SearchAsync(new SearchRequest { Text = "thorn" }, Ct)).Total);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Concurrent_refreshes_never_let_a_stale_write_through()
    {
        const int versions = 1_000;
        using var writersDone = new CancellationTokenSource();
        var index = Index;

        // Each writer owns two artists and sends their versions shuffled, racing the refresher:
        // a write is accepted exactly when it is newer than every earlier one for its artist.
        var refresher = OnOwnThread(async () =>
        {
            while (!writersDone.IsCancellationRequested) await index.RefreshAsync(Ct);
        });
        var searcher = OnOwnThread(async () =>
        {
            while (!writersDone.IsCancellationRequested) await index.SearchAsync(new SearchRequest { Text = "sam" }, Ct);
        });
        var writers = Enumerable.Range(0, 4).Select(writer => OnOwnThread(async () =>
        {
            var random = new Random(writer);
            var operations = new[] { $"artist-{writer}a00", $"artist-{writer}b00" }
                .SelectMany(id => Enumerable.Range(1, versions).Select(v => Upsert(Artist(id, v))))
                .ToArray();
            random.Shuffle(operations);
            var expected = operations.GroupBy(o => o.ArtistId).Sum(CountNewerThanAllBefore);
            var applied = 0;
            foreach (var chunk in operations.Chunk(5)) applied += await index.ApplyAsync(chunk, Ct);
            return (Expected: expected, Applied: applied);
        })).ToArray();

        var outcomes = await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await Task.WhenAll(refresher, searcher);
        await index.RefreshAsync(Ct);

        Assert.All(outcomes, outcome => Assert.Equal(outcome.Expected, outcome.Applied));
        var listed = await index.ListAsync(Ct).ToListAsync(Ct);
        Assert.Equal(8, listed.Count);
        Assert.All(listed, entry => Assert.Equal(versions, entry.Version));
        Assert.All((await SearchAsync(new SearchRequest { Limit = 100 })).Hits, hit => Assert.Equal(versions, hit.Document.Version));
    }

    /// <summary>
    /// A dedicated thread: the index completes synchronously, so pool tasks would run one after
    /// another on this two-core machine instead of racing.
    /// </summary>
    private static Task<T> OnOwnThread<T>(Func<Task<T>> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static Task OnOwnThread(Func<Task> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static int CountNewerThanAllBefore(IEnumerable<IndexOperation> operations)
    {
        var (count, newest) = (0, 0L);
        foreach (var operation in operations)
        {
            if (operation.Version <= newest) continue;
            count++;
            newest = operation.Version;
        }
        return count;
    }

    /// <summary>
    /// Performance probe, not a gate (timings are never asserted): bulk load, reindex and mixed
    /// queries at 100k synthetic artists. Build in Release, then run
    /// <c>bin/Release/net10.0/TattooDirectory.Tests -explicit only -method "*Measure_*" -showLiveOutput</c>.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task Measure_bulk_load_and_mixed_queries_at_100k_artists()
    {
        const int count = 100_000;
        var output = TestContext.Current.TestOutputHelper!;
        var corpus = new SyntheticArtists(seed: 42);
        var artists = Enumerable.Range(0, count).Select(corpus.Artist).ToArray();

        var load = await TimeApplyAsync(artists);
        var reindex = await TimeApplyAsync([.. artists.Select(a => a with { Version = 2 })]);
        output.WriteLine($"bulk load: {count / load.TotalSeconds:N0} docs/s; reindex over existing: {count / reindex.TotalSeconds:N0} docs/s");
        Assert.Equal(count, await Index.CountAsync(Ct));

        var random = new Random(7);
        var scenarios = new (string Name, Func<SearchRequest> Make)[]
        {
            ("text+styles+geo+facets", () => new SearchRequest { Text = corpus.QueryText(random), Styles = corpus.SomeStyles(random), Geo = new GeoFilter(corpus.SomeCity(random), 25), Sort = SearchSort.Relevance }),
            ("styles+geo, distance", () => new SearchRequest { Styles = corpus.SomeStyles(random), Geo = new GeoFilter(corpus.SomeCity(random), 25), Sort = SearchSort.Distance }),
            ("text only", () => new SearchRequest { Text = corpus.QueryText(random), Sort = SearchSort.Relevance }),
            ("browse all, rating", () => new SearchRequest { Sort = SearchSort.Rating }),
            ("browse all, name, page 5", () => new SearchRequest { Sort = SearchSort.Name, Page = 5 }),
        };
        foreach (var (name, make) in scenarios)
        {
            for (var i = 0; i < 200; i++) await SearchAsync(make());
            var micros = new List<double>();
            for (var i = 0; i < 2_000; i++)
            {
                var request = make();
                var started = Stopwatch.GetTimestamp();
                await SearchAsync(request);
                micros.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
            micros.Sort();
            output.WriteLine($"{name}: p50 {micros[micros.Count / 2] / 1000:N2} ms, p99 {micros[(int)(micros.Count * 0.99)] / 1000:N2} ms");
        }
    }

    private async Task<TimeSpan> TimeApplyAsync(IReadOnlyList<ArtistDocument> artists)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in artists.Chunk(1_000)) await Index.ApplyAsync([.. batch.Select(Upsert)], Ct);
        await Index.RefreshAsync(Ct);
        await Index.CommitAsync(Ct);
        return Stopwatch.GetElapsedTime(started);
    }

    private LuceneSearchIndex Open(string? path)
    {
        var index = new LuceneSearchIndex(path);
        opened.Add(index);
        return index;
    }

    /// <summary>Plausible artists: UK cities, real style ids, names and bios from small word lists.</summary>
    private sealed class SyntheticArtists(int seed)
    {
        private static readonly (string Name, GeoPoint Point)[] Cities =
        [
            ("London", new(51.5072, -0.1276)), ("Manchester", new(53.4808, -2.2426)), ("Birmingham", new(52.4862, -1.8904)),
            ("Leeds", new(53.8008, -1.5491)), ("Glasgow", new(55.8642, -4.2518)), ("Edinburgh", new(55.9533, -3.1883)),
            ("Bristol", new(51.4545, -2.5879)), ("Liverpool", new(53.4084, -2.9916)), ("Sheffield", new(53.3811, -1.4701)),
            ("Cardiff", new(51.4816, -3.1791)), ("Belfast", new(54.5973, -5.9301)), ("Newcastle", new(54.9783, -1.6178)),
            ("Nottingham", new(52.9548, -1.1581)), ("Brighton", new(50.8225, -0.1372)), ("Norwich", new(52.6309, 1.2974)),
            ("York", new(53.9600, -1.0873)), ("Aberdeen", new(57.1497, -2.0943)), ("Plymouth", new(50.3755, -4.1427)),
        ];

        private static readonly string[] FirstNames = ["Rosa", "Kim", "Sam", "Alex", "Jo", "Mark", "Zoe", "Priya", "Tom", "Lena", "Omar", "Niamh", "Callum", "Aisha", "Dan", "Mei", "Ewan", "Freya", "Ravi", "Isla"];
        private static readonly string[] LastNames = ["Thorn", "Vale", "Blackwell", "Lowe", "Khan", "Murphy", "Evans", "Patel", "Smith", "Jones", "Campbell", "Wright", "Hughes", "Chen", "Walsh", "Reid", "Hart", "Moss", "Grant", "Nash"];
        private static readonly string[] BioWords = ["custom", "flash", "colour", "black", "grey", "bold", "delicate", "linework", "portrait", "koi", "dragon", "rose", "skull", "dagger", "swallow", "mandala", "script", "botanical", "cover", "ups", "sleeves", "backpieces", "small", "large", "walk", "ins", "welcome", "appointment", "only", "vegan", "ink", "award", "winning", "guest", "spots", "studio", "years", "experience", "anime", "manga", "geometric", "dotwork", "watercolour", "fine", "line", "traditional", "realism", "japanese", "lettering", "tribal"];

        private readonly Random random = new(seed);

        public ArtistDocument Artist(int i)
        {
            var (city, point) = Cities[random.Next(Cities.Length)];
            var name = $"{Pick(FirstNames)} {Pick(LastNames)}";
            return new ArtistDocument
            {
                ArtistId = $"artist-{i:000000}",
                Version = 1,
                Name = name,
                StudioId = $"studio-{i / 4:00000}",
                StudioName = $"{Pick(LastNames)} {Pick(["Ink", "Tattoo", "Studio", "Collective"])}",
                InstagramHandle = $"{name.Replace(' ', '_').ToLowerInvariant()}{i}",
                City = city,
                LocationDisplay = $"{city} centre",
                Geo = new GeoPoint(point.Lat + ((random.NextDouble() - 0.5) * 0.4), point.Lon + ((random.NextDouble() - 0.5) * 0.6)),
                Styles = [.. random.GetItems(StyleVocabulary.Ids.ToArray(), random.Next(1, 4)).Distinct()],
                Bio = string.Join(' ', random.GetItems(BioWords, random.Next(8, 30))),
                Thumbnails = [$"/blobs/{i}/a.webp", $"/blobs/{i}/b.webp", $"/blobs/{i}/c.webp"],
                Rating = Math.Round(3 + (random.NextDouble() * 2), 1),
                ReviewCount = random.Next(0, 400),
            };
        }

        public string QueryText(Random r) => r.Next(4) switch
        {
            0 => Pick(FirstNames, r),
            1 => $"{Pick(FirstNames, r)} {Pick(LastNames, r)[..3]}",
            2 => Typo(Pick(BioWords, r), r),
            _ => $"{Pick(BioWords, r)} {Pick(BioWords, r)}",
        };

        public IReadOnlyList<string> SomeStyles(Random r) => [.. r.GetItems(StyleVocabulary.Ids.ToArray(), r.Next(1, 3)).Distinct()];

        public GeoPoint SomeCity(Random r) => Cities[r.Next(Cities.Length)].Point;

        private static string Typo(string word, Random r) =>
            word.Length < 4 ? word : word.Remove(r.Next(1, word.Length), 1);

        private string Pick(string[] words) => Pick(words, random);

        private static string Pick(string[] words, Random r) => words[r.Next(words.Length)];
    }
}
