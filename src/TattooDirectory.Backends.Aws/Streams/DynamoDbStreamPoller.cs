using System.Text.Json;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Aws.Streams;

/// <summary>
/// The change stream on DynamoDB Streams for container hosting: polls the table's stream shard by
/// shard (a child only after its parent is read to the end, so each item's changes stay in order)
/// and hands the records out as the port's <see cref="ChangeRecord"/>s.
/// </summary>
/// <remarks>
/// DynamoDB sequence numbers are up to 40 digits and only ordered within a shard, so the port's
/// sequence is the poller's own counter: it continues from the consumer's checkpoint, and the
/// checkpoint item (<c>STREAM#CHECKPOINT</c>/consumer, in the table) stores that counter with the
/// DynamoDB sequence number reached in every shard. Records read but not yet checkpointed stay in
/// memory, so a consumer that resets to its checkpoint gets them again. Writes of the checkpoint
/// item itself appear in the stream and are passed over, as the Local store keeps checkpoints out
/// of its change table. One consumer numbers the positions (<see cref="StreamsOptions.Consumer"/>).
/// </remarks>
public sealed partial class DynamoDbStreamPoller : IChangeStream
{
    public const string CheckpointPk = "STREAM#CHECKPOINT";
    private const int MaxRecordsPerCall = 1000;

    // Read-ahead stops here until the consumer checkpoints: a host that only asks how far the
    // stream reaches (health) must not buffer the whole stream.
    private const int MaxPending = 10_000;

    private readonly StreamsApi _api;
    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly ITable _table;
    private readonly AwsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DynamoDbStreamPoller> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ShardCursor> _shards = new(StringComparer.Ordinal);
    private readonly List<Pending> _pending = [];
    private Dictionary<string, string> _savedPositions = new(StringComparer.Ordinal);
    private string? _streamArn;
    private bool _loaded;
    private long _savedTicket;
    private long _lastTicket;
    private DateTimeOffset _shardsReadAt = DateTimeOffset.MinValue;
    private DateTimeOffset _polledAt = DateTimeOffset.MinValue;

    public DynamoDbStreamPoller(SignedHttpClient http, IAmazonDynamoDB dynamoDb, DynamoDbTable table, IOptions<AwsOptions> options, TimeProvider time, ILogger<DynamoDbStreamPoller> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _api = new StreamsApi(http, StreamsApi.EndpointFor(_options));
        _dynamoDb = dynamoDb;
        _table = table;
        _time = time;
        _logger = logger;
    }

    public async Task<IReadOnlyList<ChangeRecord>> ReadAsync(long afterSequence, int maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            if (afterSequence < _savedTicket)
            {
                throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence, $"The poller can only go back to the last checkpoint ({_savedTicket}).");
            }

            if (_lastTicket - afterSequence < maxRecords) await PollAsync(maxRecords, cancellationToken);
            return [.. _pending.Where(p => p.Record.Sequence > afterSequence).Take(maxRecords).Select(p => p.Record)];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task WaitForChangesAsync(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                await LoadAsync(cancellationToken);
                if (_lastTicket > afterSequence) return;
                if (_time.GetUtcNow() - _polledAt >= _options.Streams.PollInterval) await PollAsync(MaxRecordsPerCall, cancellationToken);
                if (_lastTicket > afterSequence) return;
            }
            finally
            {
                _gate.Release();
            }

            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero) return;
            await Task.Delay(left < _options.Streams.PollInterval ? left : _options.Streams.PollInterval, _time, cancellationToken);
        }
    }

    /// <summary>The newest position read so far: the stream has no cheaper way to tell how far it reaches.</summary>
    public async Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            if (_time.GetUtcNow() - _polledAt >= _options.Streams.PollInterval) await PollAsync(MaxRecordsPerCall, cancellationToken);
            return _lastTicket;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        if (!string.Equals(consumer, _options.Streams.Consumer, StringComparison.Ordinal))
        {
            return (await ReadCheckpointAsync(consumer, cancellationToken))?.Ticket ?? 0;
        }

        // The numbering consumer's checkpoint is the one this poller resumed from or saved last.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            return _savedTicket;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SaveCheckpointAsync(string consumer, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!string.Equals(consumer, _options.Streams.Consumer, StringComparison.Ordinal))
            {
                await WriteCheckpointAsync(consumer, new StreamCheckpoint(sequence, []), cancellationToken);
                return;
            }

            await LoadAsync(cancellationToken);
            if (sequence > _lastTicket) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Nothing was read beyond {_lastTicket}.");
            var positions = new Dictionary<string, string>(_savedPositions, StringComparer.Ordinal);
            foreach (var done in _pending.Where(p => p.Record.Sequence <= sequence)) positions[done.ShardId] = done.SequenceNumber;
            // Shards the stream no longer lists were trimmed after 24 hours: nothing is left to resume in them.
            foreach (var gone in positions.Keys.Where(id => _shards.Count > 0 && !_shards.ContainsKey(id)).ToList()) positions.Remove(gone);
            await WriteCheckpointAsync(consumer, new StreamCheckpoint(sequence, positions), cancellationToken);
            _savedPositions = positions;
            _savedTicket = Math.Max(_savedTicket, sequence);
            _pending.RemoveAll(p => p.Record.Sequence <= sequence);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded) return;
        var checkpoint = await ReadCheckpointAsync(_options.Streams.Consumer, cancellationToken);
        _savedTicket = _lastTicket = checkpoint?.Ticket ?? 0;
        _savedPositions = new Dictionary<string, string>(checkpoint?.Shards ?? [], StringComparer.Ordinal);
        _loaded = true;
    }

    /// <summary>A round, remembered only when it worked: after a failure the next caller tries again rather than hear "nothing new".</summary>
    private async Task PollAsync(int wanted, CancellationToken cancellationToken)
    {
        if (_pending.Count >= MaxPending) return;
        try
        {
            await PollShardsAsync(wanted, cancellationToken);
            _polledAt = _time.GetUtcNow();
        }
        catch
        {
            _polledAt = DateTimeOffset.MinValue;
            throw;
        }
    }

    /// <summary>One round: at most one GetRecords per readable shard, each record numbered in the order read.</summary>
    private async Task PollShardsAsync(int wanted, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var streamArn = _streamArn ??= await StreamArnAsync(cancellationToken);
        if (_shards.Count == 0 || now - _shardsReadAt >= _options.Streams.ShardRefreshInterval || _shards.Values.All(s => s.Closed))
        {
            await RefreshShardsAsync(streamArn, cancellationToken);
        }

        foreach (var shard in _shards.Values.Where(IsReadable).ToList())
        {
            shard.Iterator ??= await _api.GetShardIteratorAsync(streamArn, shard.Id, shard.ReadPosition, cancellationToken);
            ShardRecords page;
            try
            {
                page = await _api.GetRecordsAsync(shard.Iterator, Math.Clamp(wanted, 1, MaxRecordsPerCall), cancellationToken);
            }
            catch (DynamoDbStreamsException ex) when (ex.Code is "ExpiredIteratorException" or "TrimmedDataAccessException")
            {
                // Iterators last 15 minutes; the next round asks for a new one from the position reached.
                if (ex.Code == "TrimmedDataAccessException") shard.ReadPosition = null;
                shard.Iterator = null;
                continue;
            }

            foreach (var record in page.Records) Accept(shard, record);
            shard.Iterator = page.NextShardIterator;
            shard.Closed = page.NextShardIterator is null;
        }
    }

    private void Accept(ShardCursor shard, JsonElement record)
    {
        var sequenceNumber = StreamRecords.SequenceNumberOf(record);
        shard.ReadPosition = sequenceNumber;
        ChangeRecord? change;
        try
        {
            change = StreamRecords.ToChange(record, _lastTicket + 1);
        }
        catch (StreamRecordException ex)
        {
            // Nothing downstream could be built from it; the records behind it must still flow.
            LogUnreadable(_logger, shard.Id, sequenceNumber, ex.Message);
            return;
        }

        if (change is null || change.Key.Pk == CheckpointPk) return;
        _lastTicket++;
        _pending.Add(new Pending(change, shard.Id, sequenceNumber));
    }

    /// <summary>A shard is read once its parent is read to the end, or when the stream no longer lists the parent.</summary>
    private bool IsReadable(ShardCursor shard) =>
        !shard.Closed && (shard.ParentId is null || !_shards.TryGetValue(shard.ParentId, out var parent) || parent.Closed);

    private async Task RefreshShardsAsync(string streamArn, CancellationToken cancellationToken)
    {
        var listed = await _api.DescribeShardsAsync(streamArn, cancellationToken);
        foreach (var shard in listed.Where(s => !_shards.ContainsKey(s.ShardId)))
        {
            _savedPositions.TryGetValue(shard.ShardId, out var position);
            _shards[shard.ShardId] = new ShardCursor(shard.ShardId, shard.ParentShardId) { ReadPosition = position };
        }

        var current = listed.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _shards.Keys.Where(id => !current.Contains(id)).ToList()) _shards.Remove(gone);
        _shardsReadAt = _time.GetUtcNow();
    }

    private async Task<string> StreamArnAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_options.Streams.StreamArn)) return _options.Streams.StreamArn;
        var table = (await _dynamoDb.DescribeTableAsync(_options.DynamoDb.Table, cancellationToken)).Table;
        return string.IsNullOrEmpty(table.LatestStreamArn)
            ? throw new InvalidOperationException($"The table {_options.DynamoDb.Table} has no stream: enable NEW_AND_OLD_IMAGES or set Aws:Streams:StreamArn.")
            : table.LatestStreamArn;
    }

    private async Task<StreamCheckpoint?> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken) =>
        await _table.GetAsync(new ItemKey(CheckpointPk, consumer), cancellationToken) is { } item
            ? JsonSerializer.Deserialize(item.Data, StreamJson.Default.StreamCheckpoint)
            : null;

    private Task WriteCheckpointAsync(string consumer, StreamCheckpoint checkpoint, CancellationToken cancellationToken) =>
        _table.PutAsync(new Item { Pk = CheckpointPk, Sk = consumer, Data = JsonSerializer.Serialize(checkpoint, StreamJson.Default.StreamCheckpoint) }, cancellationToken: cancellationToken);

    private sealed class ShardCursor(string id, string? parentId)
    {
        public string Id { get; } = id;
        public string? ParentId { get; } = parentId;
        public string? Iterator { get; set; }
        /// <summary>The last DynamoDB sequence number read from the shard, checkpointed or not.</summary>
        public string? ReadPosition { get; set; }
        public bool Closed { get; set; }
    }

    private sealed record Pending(ChangeRecord Record, string ShardId, string SequenceNumber);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream record {SequenceNumber} of shard {ShardId} cannot be read and is passed over: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string shardId, string sequenceNumber, string reason);
}

/// <summary>The checkpoint item's data: the consumer's position and the DynamoDB sequence number reached per shard.</summary>
internal sealed record StreamCheckpoint(long Ticket, Dictionary<string, string> Shards);

[System.Text.Json.Serialization.JsonSerializable(typeof(StreamCheckpoint))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class StreamJson : System.Text.Json.Serialization.JsonSerializerContext;
