using System.Text.Json;
using Microsoft.Extensions.Logging;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Notifications;

/// <summary>
/// Moves the table's outbox items (<see cref="Outbox"/>) to their topics: each is published with
/// its outbox message id as deduplication id and then deleted, so a relay that stops between the
/// two republishes the same id on its next pass and the topic keeps one copy. An item that
/// cannot be decoded is logged once, counted and left for an operator; it never holds up the rest.
/// </summary>
public sealed partial class OutboxRelay(ITable table, IChangeStream stream, ITopic topic, ILogger<OutboxRelay> logger)
{
    // Undecodable items stay in place and are met again on every pass; one warning each is enough.
    private readonly HashSet<ItemKey> _reported = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Most entries a pass moves; the rest wait for the next pass.</summary>
    public int BatchSize
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A pass must move at least one entry.");
    } = 500;

    /// <summary>Outbox items the latest pass found undecodable and left in place.</summary>
    public int Undecodable { get; private set; }

    /// <summary>One pass over the outbox; returns how many entries it moved to their topics.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (entries, undecodable) = await ReadBatchAsync(cancellationToken);
            Undecodable = undecodable;
            // Keys order by message id, which says nothing about time; publish oldest first.
            var moved = 0;
            foreach (var (key, entry) in entries.OrderBy(e => e.Entry.CreatedAt))
            {
                try
                {
                    await topic.PublishAsync(entry.Topic, entry.Message, entry.MessageId, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One message the topic refuses must not hold back every later one (a
                    // requester's confirmation among them); it stays and is retried next pass.
                    if (_reported.Add(key)) LogPublishFailed(logger, key.ToString(), ex.GetType().Name);
                    continue;
                }
                await table.DeleteAsync(key, cancellationToken: cancellationToken);
                moved++;
            }

            return moved;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A pass, then, unless it filled a batch, a wait until the table commits anything after the
    /// pass began or <paramref name="idleWait"/> passes. The stream is only a doorbell (no
    /// checkpoint): an outbox item commits with its change, so a commit is the moment to look,
    /// and the pass itself always rescans the outbox. The timeout is a safety net for commits
    /// made by another process. Returns how many entries the pass moved.
    /// </summary>
    public async Task<int> RunOnceAndWaitAsync(TimeSpan idleWait, CancellationToken cancellationToken = default)
    {
        // Read before the pass: a commit landing during the pass ends the wait at once.
        var seen = await stream.GetLatestSequenceAsync(cancellationToken);
        var moved = await RunOnceAsync(cancellationToken);
        if (moved < BatchSize) await stream.WaitForChangesAsync(seen, idleWait, cancellationToken);
        return moved;
    }

    private async Task<(List<(ItemKey Key, OutboxEntry Entry)> Entries, int Undecodable)> ReadBatchAsync(CancellationToken cancellationToken)
    {
        var entries = new List<(ItemKey, OutboxEntry)>();
        var undecodable = 0;
        await foreach (var item in table.ScanAsync(Keys.OutboxPrefix, cancellationToken))
        {
            if (Decode(item) is { } entry)
            {
                entries.Add((item.Key, entry));
                if (entries.Count == BatchSize) break;
            }
            else
            {
                undecodable++;
            }
        }

        return (entries, undecodable);
    }

    private OutboxEntry? Decode(Item item)
    {
        string problem;
        try
        {
            var entry = Outbox.Read(item);
            // The JSON may parse yet lack what a publish needs; a publish that threw for it would
            // stop every pass at the same item.
            problem = entry switch
            {
                { MessageId: null or "" } or { Topic: null } or { Message: null } => "incomplete entry",
                _ when !Topics.IsKnown(entry.Topic) => "unknown topic",
                { Message.Subject: null } or { Message.Body: null } => "message without subject or body",
                _ => "",
            };
            if (problem.Length == 0) return entry;
        }
        catch (JsonException)
        {
            problem = "not an outbox entry";
        }

        if (_reported.Add(item.Key)) LogUndecodable(logger, item.Key.ToString(), problem);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Key} cannot be relayed ({Problem}); it is left in place for an operator")]
    private static partial void LogUndecodable(ILogger logger, string key, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Key} could not be published ({Error}); it stays and is retried every pass while later items flow")]
    private static partial void LogPublishFailed(ILogger logger, string key, string error);
}
