using TattooDirectory.Backends.Local.Lucene;
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

    [Fact]
    public async Task Searches_racing_on_the_same_misspelt_words_find_what_a_search_alone_finds()
    {
        string[] names = ["Rosalind Thornbury", "Rosalie Thornton", "Roslyn Hawthorne", "Marguerite Blackwood", "Margaret Blackmore", "Magnus Whitwood"];
        var documents = names.Select((name, i) => Artist($"artist-{i:D4}") with { Name = name }).ToArray();
        await SeedAsync(documents);
        var alone = Open(null);
        await alone.ApplyAsync([.. documents.Select(Upsert)], Ct);
        await alone.RefreshAsync(Ct);
        // Typos at one and two edits, so the racing searches build and share automata of both sizes.
        string[] queries = ["rosalnd", "thornbery", "blakwood", "margret", "hawthrone", "whitwod"];
        var expected = new Dictionary<string, string>();
        foreach (var query in queries) expected[query] = Describe(await alone.SearchAsync(new SearchRequest { Text = query }, Ct));
        Assert.All(expected.Values, description => Assert.NotEqual("0:", description));

        var index = Index;
        var racers = Enumerable.Range(0, 4).Select(racer => OnOwnThread(async () =>
        {
            var seen = new List<(string Query, string Result)>();
            for (var round = 0; round < 50; round++)
            {
                var query = queries[(racer + round) % queries.Length];
                seen.Add((query, Describe(await index.SearchAsync(new SearchRequest { Text = query }, Ct))));
            }
            return seen;
        })).ToArray();

        foreach (var seen in await Task.WhenAll(racers))
        {
            Assert.All(seen, search => Assert.Equal(expected[search.Query], search.Result));
        }
    }

    [Fact]
    public void The_fuzzy_automata_cache_forgets_the_least_recently_used_term_beyond_its_capacity()
    {
        var cache = new FuzzyAutomataCache(capacity: 2);
        var rosa = cache.For("rosa", 1);
        var thorn = cache.For("thorn", 1);
        Assert.Same(rosa, cache.For("rosa", 1));

        cache.For("blackwork", 2);

        Assert.Equal(2, cache.Count);
        Assert.Same(rosa, cache.For("rosa", 1));
        Assert.NotSame(thorn, cache.For("thorn", 1));
    }

    private static string Describe(SearchResult result) =>
        $"{result.Total}:{string.Join(',', result.Hits.Select(h => $"{h.Document.ArtistId}"))}";

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

    private LuceneSearchIndex Open(string? path)
    {
        var index = new LuceneSearchIndex(path);
        opened.Add(index);
        return index;
    }
}
