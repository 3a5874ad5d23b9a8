using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TattooDirectory.Core.Search;
using Lock = System.Threading.Lock;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// The search index on Lucene.NET: externally versioned writes with tombstones, a near-real-time
/// searcher, and a single collector pass for hits, totals, facets and distances.
/// </summary>
/// <remarks>
/// Writers are serialised; searches run concurrently on the last refreshed searcher. A relevance
/// sort without text falls back to the default ranking (distance with a point, else rating), and
/// a distance sort without a point to rating. <see cref="ListAsync"/>,
/// <see cref="ListDocumentsAsync"/> and <see cref="CountAsync"/> see the last refresh;
/// <see cref="GetVersionAsync"/> also sees unrefreshed writes.
/// </remarks>
public sealed class LuceneSearchIndex : ISearchIndex, IDisposable
{
    /// <summary>Deepest hit a search can page to, as OpenSearch's max_result_window.</summary>
    public const int MaxResultWindow = 10_000;

    // Below this, starting parallel work costs more than it saves.
    private const int ParallelWriteThreshold = 256;

    private readonly LuceneDirectory directory;
    private readonly SearchAnalyzer analyzer = new();
    private readonly IndexWriter writer;
    private readonly SearcherManager searchers;
    private readonly QueryFactory queries;
    private readonly LiveVersionMap pendingVersions = new();
    private readonly Lock writeLock = new();
    private readonly Lock refreshLock = new();
    private volatile bool disposed;

    /// <param name="directoryPath">
    /// Index folder, created if missing and appended to if it holds an index; null keeps the index
    /// in memory (tests).
    /// </param>
    public LuceneSearchIndex(string? directoryPath)
    {
        directory = directoryPath is null
            ? new RAMDirectory()
            // Not FSDirectory.Open's MMapDirectory: in Lucene.NET 4.8.0-beta00017 every clone of
            // a memory-mapped input (each terms and postings enum of every search) is registered
            // in a ConditionalWeakTable, one GC dependent handle apiece, under a lock. At a few
            // thousand searches a second that is hundreds of thousands of handles, which every
            // collection, gen0 included, has to scan: GC pauses of 15–50 ms and a search rate
            // that collapses as they grow. NIOFSDirectory reads through the OS page cache with
            // positional reads into a small buffer per clone: plain garbage, no handles.
            : new NIOFSDirectory(System.IO.Directory.CreateDirectory(directoryPath));
        try
        {
            // BM25, like OpenSearch, so both backends rank alike.
            var similarity = new BM25Similarity();
            writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = similarity,
                RAMBufferSizeMB = 64,
                MergedSegmentWarmer = new SegmentColumns.MergeWarmer(),
            });
            searchers = new SearcherManager(writer, applyAllDeletes: true, new SimilaritySearcherFactory(similarity));
        }
        catch
        {
            writer?.Dispose();
            analyzer.Dispose();
            directory.Dispose();
            throw;
        }
        queries = new QueryFactory(analyzer);
    }

    public Task<int> ApplyAsync(IReadOnlyList<IndexOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ObjectDisposedException.ThrowIf(disposed, this);
        lock (writeLock)
        {
            // Acquired under the lock: a refresh cannot finish (and forget pending versions)
            // while this batch runs, so pending versions plus this searcher cover every write.
            var searcher = searchers.Acquire();
            try
            {
                var (writes, applied) = Decide(operations, new VersionLookup(searcher), cancellationToken);
                Write(writes, cancellationToken);
                return Task.FromResult(applied);
            }
            finally
            {
                searchers.Release(searcher);
            }
        }
    }

    /// <summary>
    /// Applies the version rule in order. Only the last accepted operation per artist needs
    /// indexing (the earlier ones would be overwritten within the batch), which frees the writes
    /// from ordering.
    /// </summary>
    private (IReadOnlyCollection<PendingWrite> Writes, int Applied) Decide(
        IReadOnlyList<IndexOperation> operations, VersionLookup indexed, CancellationToken cancellationToken)
    {
        var writes = new Dictionary<string, PendingWrite>(StringComparer.Ordinal);
        var applied = 0;
        foreach (var operation in operations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentException.ThrowIfNullOrEmpty(operation.ArtistId, nameof(operations));
            if (operation is not (IndexOperation.Upsert or IndexOperation.Delete))
            {
                throw new ArgumentException($"Unknown index operation {operation.GetType().Name}.", nameof(operations));
            }
            long? held;
            bool replaces;
            if (writes.TryGetValue(operation.ArtistId, out var earlier))
            {
                (held, replaces) = (earlier.Operation.Version, earlier.Replaces);
            }
            else
            {
                held = pendingVersions.TryGet(operation.ArtistId, out var pending) ? pending : indexed.Find(operation.ArtistId);
                replaces = held is not null;
            }
            if (operation.Version <= held) continue;
            writes[operation.ArtistId] = new PendingWrite(operation, replaces);
            applied++;
        }
        return (writes.Values, applied);
    }

    private void Write(IReadOnlyCollection<PendingWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count < ParallelWriteThreshold)
        {
            foreach (var write in writes) Write(write);
            return;
        }
        // IndexWriter analyses documents on the calling threads: a bulk load or reindex scales with cores.
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(writes, options, Write);
    }

    private void Write(PendingWrite write)
    {
        var operation = write.Operation;
        var document = operation is IndexOperation.Upsert upsert
            ? IndexSchema.LiveDocument(upsert.Document)
            : IndexSchema.Tombstone(operation.ArtistId, operation.Version);
        if (write.Replaces)
        {
            writer.UpdateDocument(new Term(IndexSchema.Id, operation.ArtistId), document);
        }
        else
        {
            // Nothing to replace: skips buffering a delete term that every later flush would
            // have to look up in every segment (most of a bulk load).
            writer.AddDocument(document);
        }
        // Only once written, so a failed batch never claims versions it did not index.
        pendingVersions.Set(operation.ArtistId, operation.Version);
    }

    public Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        lock (refreshLock)
        {
            lock (writeLock) pendingVersions.BeginRefresh();
            // Outside the write lock: writers keep going while the reader reopens.
            searchers.MaybeRefreshBlocking();
            lock (writeLock) pendingVersions.EndRefresh();
        }
        return Task.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        writer.Commit();
        return Task.CompletedTask;
    }

    public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1);
        if (request.Geo is { } geo && (!geo.Center.IsValid || !(geo.RadiusKm >= 0)))
        {
            throw new ArgumentOutOfRangeException(nameof(request), "The geo filter needs a valid centre and a non-negative radius.");
        }
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();

        var text = queries.Text(request.Text);
        var query = Combine(text, queries.Filter(request));
        var sort = EffectiveSort(request.Sort, hasText: text is not null, hasGeo: request.Geo is not null);
        var from = (long)(request.Page - 1) * request.Limit;
        // Past the window nothing is ranked at all; the collector still counts and facets.
        var window = from >= MaxResultWindow ? 0 : (int)Math.Min(from + request.Limit, MaxResultWindow);

        var searcher = searchers.Acquire();
        try
        {
            var collector = new SearchCollector(sort, window, request.Geo);
            searcher.Search(query, collector);
            var ranked = collector.TopHits();
            var hits = from >= ranked.Count
                ? []
                : ranked.Skip((int)from).Take(request.Limit)
                    .Select(hit => new SearchHit(Load(searcher, hit.Doc), request.Geo is null ? null : hit.DistanceKm))
                    .ToList();
            return Task.FromResult(new SearchResult(hits, collector.Total, collector.StyleFacets(), collector.CityFacets()));
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    public Task<long?> GetVersionAsync(string artistId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(artistId);
        ObjectDisposedException.ThrowIf(disposed, this);
        // Pending versions first, then a searcher acquired afterwards: a write leaves the map only
        // once a searcher holding it is current.
        if (pendingVersions.TryGet(artistId, out var pending)) return Task.FromResult<long?>(pending);
        var searcher = searchers.Acquire();
        try
        {
            return Task.FromResult(new VersionLookup(searcher).Find(artistId));
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    public IAsyncEnumerable<(string ArtistId, long Version)> ListAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return WalkLive<(string ArtistId, long Version)>(cancellationToken, reader =>
        {
            var ids = reader.GetBinaryDocValues(IndexSchema.Id) ?? DocValues.EMPTY_BINARY;
            var versions = reader.GetNumericDocValues(IndexSchema.Version) ?? DocValues.EMPTY_NUMERIC;
            var id = new BytesRef();
            return doc =>
            {
                ids.Get(doc, id);
                return (id.Utf8ToString(), versions.Get(doc));
            };
        }).ToAsyncEnumerable();
    }

    public IAsyncEnumerable<ArtistDocument> ListDocumentsAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return WalkLive<ArtistDocument>(cancellationToken, reader =>
        {
            var documents = reader.GetBinaryDocValues(IndexSchema.Json) ?? DocValues.EMPTY_BINARY;
            var json = new BytesRef();
            return doc =>
            {
                documents.Get(doc, json);
                return IndexSchema.ReadJson(json);
            };
        }).ToAsyncEnumerable();
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var searcher = searchers.Acquire();
        try
        {
            var counter = new TotalHitCountCollector();
            searcher.Search(new TermQuery(new Term(IndexSchema.Live, IndexSchema.Flag)), counter);
            return Task.FromResult((long)counter.TotalHits);
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Commits what was applied (Lucene's close commits) and releases the index lock. Running
    /// merges are abandoned rather than awaited, so shutdown stays quick after a bulk load.
    /// </summary>
    public void Dispose()
    {
        lock (refreshLock)
        lock (writeLock)
        {
            if (disposed) return;
            disposed = true;
            searchers.Dispose();
            writer.Dispose(waitForMerges: false);
            analyzer.Dispose();
            directory.Dispose();
        }
    }

    internal static SearchSort EffectiveSort(SearchSort requested, bool hasText, bool hasGeo) => requested switch
    {
        SearchSort.Relevance when !hasText => hasGeo ? SearchSort.Distance : SearchSort.Rating,
        SearchSort.Distance when !hasGeo => SearchSort.Rating,
        _ => requested,
    };

    /// <summary>
    /// A conjunction, so Lucene leads with whichever side has the fewest postings (a rare style
    /// or a small geo area before a common word, and the other way round).
    /// </summary>
    private static Query Combine(Query? text, Query? filter) => (text, filter) switch
    {
        (null, null) => new MatchAllDocsQuery(),
        // Without text nothing asks for scores, so the filter runs bare.
        (null, _) => filter,
        (_, null) => text,
        _ => new BooleanQuery(disableCoord: true)
        {
            { text, Occur.MUST },
            // Boost 0: the filter narrows the hits without touching their scores.
            { new ConstantScoreQuery(filter) { Boost = 0 }, Occur.MUST },
        },
    };

    private static ArtistDocument Load(IndexSearcher searcher, int doc)
    {
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var json = new BytesRef();
        (leaf.AtomicReader.GetBinaryDocValues(IndexSchema.Json) ?? DocValues.EMPTY_BINARY).Get(doc - leaf.DocBase, json);
        return IndexSchema.ReadJson(json);
    }

    /// <summary>
    /// Walks the live documents of one point-in-time searcher, held until the enumeration ends,
    /// like a scroll; <paramref name="readerFor"/> opens the columns of each segment once.
    /// </summary>
    private IEnumerable<T> WalkLive<T>(CancellationToken cancellationToken, Func<AtomicReader, Func<int, T>> readerFor)
    {
        var searcher = searchers.Acquire();
        try
        {
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var docs = leaf.AtomicReader.GetTermDocsEnum(new Term(IndexSchema.Live, IndexSchema.Flag));
                if (docs is null) continue;
                var read = readerFor(leaf.AtomicReader);
                for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return read(doc);
                }
            }
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    /// <param name="Replaces">The index already holds a document or tombstone for the artist.</param>
    private readonly record struct PendingWrite(IndexOperation Operation, bool Replaces);

    /// <summary>Also builds the columns of new segments during the refresh, not in the first search.</summary>
    private sealed class SimilaritySearcherFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader)
        {
            foreach (var leaf in reader.Leaves) SegmentColumns.For(leaf.AtomicReader);
            return new IndexSearcher(reader) { Similarity = similarity };
        }
    }
}
