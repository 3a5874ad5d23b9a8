using System.Text.Json;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Sync;

/// <summary>
/// What one pass of the sync did. <see cref="VisibleAt"/> is the TimeProvider timestamp at which
/// the pass's writes became searchable (the refresh), before any commit that followed it.
/// </summary>
public sealed record SyncPass(int Records, int Applied, int DeadLettered, long Position, long VisibleAt = 0)
{
    /// <summary>The artists whose documents the pass wrote or deleted (an index may skip a stale version; naming it anyway is harmless).</summary>
    public IReadOnlyList<string> ArtistIds { get; init; } = [];

    /// <summary>The studios of the documents the pass wrote: a new member changes the studio's page.</summary>
    public IReadOnlyList<string> StudioIds { get; init; } = [];
}

/// <summary>
/// Carries the store's change stream into the search index (product.md §6).
/// Each record names an artist; the document is rebuilt from the store as it is now and written
/// with the profile version, so replays, duplicates and out-of-order delivery cannot make the
/// index older. Building a document that keeps failing is retried, then dead-lettered so the
/// records behind it flow; a failing index stops the pass without moving the position, so
/// nothing is skipped. The checkpoint only moves after the index has committed.
/// </summary>
public sealed partial class IndexSync(
    IChangeStream stream,
    ITable table,
    ISearchIndex index,
    ArtistCatalog catalog,
    TimeProvider time,
    ILogger<IndexSync> logger)
{
    public const string Consumer = "search-index";
    public const int MaxAttempts = 3;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _position = -1;
    private long _committed;
    private DateTimeOffset _lastCommit = DateTimeOffset.MinValue;

    /// <summary>The sequence up to which changes are visible in search.</summary>
    public long Position => Math.Max(_position, 0);

    /// <summary>How often the index is committed and the checkpoint saved while records flow.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; init; } = 1000;

    public int BuildConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    public async Task<SyncPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_position < 0) _position = _committed = await stream.GetCheckpointAsync(Consumer, cancellationToken);
            var records = await stream.ReadAsync(_position, BatchSize, cancellationToken);
            if (records.Count == 0)
            {
                await CommitIfDueAsync(force: _committed != _position, cancellationToken);
                return new SyncPass(0, 0, 0, _position);
            }

            var pass = await ApplyRecordsAsync(records, cancellationToken);
            _position = pass.Position;
            await CommitIfDueAsync(force: false, cancellationToken);
            return pass;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies a batch someone else delivered and keeps the position of (the Lambda DynamoDB
    /// stream event source): the same build, dead-letter and apply steps as a pass, then the
    /// index is committed before returning, because the caller's checkpoint moves as soon as
    /// this returns. The stream's own checkpoint is neither read nor saved.
    /// </summary>
    public async Task<SyncPass> ApplyAsync(IReadOnlyList<ChangeRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return new SyncPass(0, 0, 0, 0);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var pass = await ApplyRecordsAsync(records, cancellationToken);
            await index.CommitAsync(cancellationToken);
            return pass;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SyncPass> ApplyRecordsAsync(IReadOnlyList<ChangeRecord> records, CancellationToken cancellationToken)
    {
        // The last record of each artist decides; earlier ones in the batch are superseded.
        // Documents are built concurrently (reads do not block each other), applied in order.
        var groups = records.Where(r => Keys.ArtistIdOf(r.Key.Pk) is not null).GroupBy(r => Keys.ArtistIdOf(r.Key.Pk)!).ToList();
        var outcomes = new Outcome?[groups.Count];
        var studios = new StudioCache();
        await Parallel.ForEachAsync(Enumerable.Range(0, groups.Count), new ParallelOptions { MaxDegreeOfParallelism = BuildConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            outcomes[i] = await BuildWithRetriesAsync(groups[i].Key, [.. groups[i]], studios, ct));

        var operations = new List<IndexOperation>(groups.Count);
        var deadLettered = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome)
            {
                case Built built:
                    operations.Add(built.Operation);
                    break;
                case DeadLetter dead:
                    await table.PutAsync(dead.Item, cancellationToken: cancellationToken);
                    deadLettered++;
                    break;
            }
        }

        var applied = operations.Count == 0 ? 0 : await index.ApplyAsync(operations, cancellationToken);
        await index.RefreshAsync(cancellationToken);
        var visibleAt = time.GetTimestamp();
        return new SyncPass(records.Count, applied, deadLettered, records[^1].Sequence, visibleAt)
        {
            ArtistIds = [.. operations.Select(o => o.ArtistId)],
            StudioIds = [.. operations.OfType<IndexOperation.Upsert>().Select(u => u.Document.StudioId).OfType<string>().Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary>Commits the index and saves the checkpoint now (shutdown, tests, reindex).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await CommitIfDueAsync(force: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the in-memory position so the next pass starts from the saved checkpoint.</summary>
    public void Reset() => _position = -1;

    private async Task CommitIfDueAsync(bool force, CancellationToken cancellationToken)
    {
        if (_position < 0 || (_committed == _position && !force)) return;
        var now = time.GetUtcNow();
        if (!force && now - _lastCommit < CommitInterval) return;
        await index.CommitAsync(cancellationToken);
        await stream.SaveCheckpointAsync(Consumer, _position, cancellationToken);
        _committed = _position;
        _lastCommit = now;
    }

    private abstract record Outcome;
    private sealed record Built(IndexOperation Operation) : Outcome;
    private sealed record DeadLetter(Item Item) : Outcome;

    private async Task<Outcome?> BuildWithRetriesAsync(string artistId, IReadOnlyList<ChangeRecord> records, StudioCache studios, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                return await BuildAsync(artistId, records, studios, cancellationToken);
            }
            catch (Exception ex) when (IsPoison(ex))
            {
                last = ex;
                LogBuildFailed(logger, records[^1].Sequence, attempt, ex.GetType().Name);
            }
        }
        var record = records[^1];
        var letter = new SyncDeadLetter(record.Sequence, record.Key.Pk, record.Key.Sk, artistId, $"{last!.GetType().Name}: {last.Message}", MaxAttempts, time.GetUtcNow());
        return new DeadLetter(new Item
        {
            Pk = Keys.SyncDeadLetterPk,
            Sk = record.Sequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture),
            Data = JsonSerializer.Serialize(letter, CatalogJson.Default.SyncDeadLetter),
        });
    }

    private async Task<Outcome?> BuildAsync(string artistId, IReadOnlyList<ChangeRecord> records, StudioCache studios, CancellationToken cancellationToken)
    {
        var document = await catalog.BuildDocumentAsync(artistId, studios, cancellationToken);
        if (document is not null) return new Built(new IndexOperation.Upsert(document));
        // Gone from the store: only the removal of the profile says at which version it went.
        var removal = records.LastOrDefault(r => r.Kind == ChangeKind.Remove && r.Key.Sk == Keys.Profile);
        return removal?.OldImage is { } old ? new Built(new IndexOperation.Delete(artistId, old.Version + 1)) : null;
    }

    /// <summary>
    /// Only data that cannot be turned into a document is poison. Any other failure (the store or
    /// the disk) fails the pass instead, so the position stays put and nothing is given up on,
    /// least of all the removal of a taken-down artist.
    /// </summary>
    private static bool IsPoison(Exception ex) => ex is System.Text.Json.JsonException or InvalidDataException or FormatException or ArgumentException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync could not build the document for change {Sequence} (attempt {Attempt}): {ErrorType}")]
    private static partial void LogBuildFailed(ILogger logger, long sequence, int attempt, string errorType);
}
