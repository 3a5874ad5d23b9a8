using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Local;
using TattooDirectory.Backends.Local.Files;
using TattooDirectory.Backends.Local.Lucene;
using TattooDirectory.Backends.Local.Sqlite;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Sync;

namespace TattooDirectory.Tests.Support;

/// <summary>
/// The Local backend wired by hand on a temp directory (no web host): for tests of the core
/// services against real SQLite, Lucene and files. "Restart" reopens everything from disk.
/// </summary>
public sealed class LocalBackendRig : IDisposable
{
    private readonly TempDirectory _dir = new();
    private LocalStores _stores = null!;

    public LocalBackendRig() => Open();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    public SqliteStore Store => _stores.Store;
    public LuceneSearchIndex Index => _stores.Index;
    public FileBlobStore Blobs => _stores.Blobs;
    /// <summary>The table writers use: the store behind the denylist guard.</summary>
    public ITable Table => _stores.Table;
    /// <summary>The blob store writers use: the files behind the denylist guard.</summary>
    public IBlobStore BlobStore => _stores.BlobStore;
    public Denylist Denylist => _stores.Denylist;
    public ArtistCatalog Catalog { get; private set; } = null!;
    public IndexSync Sync { get; private set; } = null!;

    /// <summary>Closes and reopens store, index and sync from disk, as a process restart would.</summary>
    public void Restart()
    {
        Close();
        Open();
    }

    public async Task<SearchResult> SearchAsync(string? text = null, params string[] styles) =>
        await Index.SearchAsync(new SearchRequest { Text = text, Styles = styles, Limit = 50 }, TestContext.Current.CancellationToken);

    public async Task DrainAsync()
    {
        while ((await Sync.RunOnceAsync(TestContext.Current.CancellationToken)).Records > 0) { }
    }

    private void Open()
    {
        _stores = new LocalStores(_dir.Path, Time);
        Catalog = new ArtistCatalog(Table, BlobStore);
        Sync = new IndexSync(Store, Table, Index, Catalog, Time, NullLogger<IndexSync>.Instance);
    }

    private void Close() => _stores.Dispose();

    public void Dispose()
    {
        Close();
        _dir.Dispose();
    }
}

public static class TestArtists
{
    public static readonly GeoPoint Leeds = new(53.7997, -1.5492);

    public static Artist Make(string id, string name = "Ada Inkwell", string[]? styles = null, GeoPoint? geo = null, string? studioId = null) => new()
    {
        ArtistId = id,
        Name = name,
        Bio = $"{name} tattoos in Leeds.",
        InstagramHandle = id.Replace("artist-", "ink_", StringComparison.Ordinal),
        City = "Leeds",
        LocationDisplay = "Leeds city centre",
        Geo = geo ?? Leeds,
        Styles = styles ?? ["blackwork"],
        StudioId = studioId,
        Rating = 4.5,
        ReviewCount = 10,
    };

    public static PortfolioImage Image(string artistId, string imageId, int position = 0) => new()
    {
        ImageId = imageId,
        ArtistId = artistId,
        BlobKey = $"artists/{artistId}/{imageId}.svg",
        ThumbnailKey = $"artists/{artistId}/{imageId}-thumb.svg",
        Width = 1200,
        Height = 1200,
        Position = position,
        Caption = "Fresh piece",
        Style = "blackwork",
    };
}
