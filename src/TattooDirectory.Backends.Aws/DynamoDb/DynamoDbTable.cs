using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TattooDirectory.Core.Storage;
using ConditionFailed = TattooDirectory.Core.Storage.ConditionalCheckFailedException;
using SdkConditionFailed = Amazon.DynamoDBv2.Model.ConditionalCheckFailedException;
using SdkTransactionCanceled = Amazon.DynamoDBv2.Model.TransactionCanceledException;
using TransactionCanceled = TattooDirectory.Core.Storage.TransactionCanceledException;

namespace TattooDirectory.Backends.Aws.DynamoDb;

/// <summary>
/// The table port on DynamoDB: the single table with GSI1-4, plus the denylist's own table for
/// partition keys under <see cref="Keys.DenyPrefix"/>. Reads are strongly consistent where
/// DynamoDB allows it (not on GSIs, which are eventually consistent there as everywhere).
/// </summary>
public sealed partial class DynamoDbTable(IAmazonDynamoDB client, DynamoDbOptions options, TimeProvider time) : ITable
{
    public async Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default)
    {
        TableArguments.Key(key);
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = TableFor(key.Pk),
            Key = ItemAttributes.KeyOf(key),
            ConsistentRead = true,
        }, cancellationToken);
        return ItemAttributes.ToItem(response.Item);
    }

    public async Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default)
    {
        TableArguments.Item(item);
        try
        {
            var response = await client.UpdateItemAsync(UpdateOf(item.Key, WriteExpressions.Put(item, condition, time.GetUtcNow()), ReturnValue.ALL_NEW), cancellationToken);
            return ItemAttributes.ToItem(response.Attributes) ?? throw new InvalidDataException($"DynamoDB returned no item for {item.Key}.");
        }
        catch (SdkConditionFailed)
        {
            throw new ConditionFailed(item.Key);
        }
    }

    public async Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default)
    {
        TableArguments.Key(key);
        if (condition is WriteCondition.NotExistsCondition)
        {
            // Deleting what must not exist deletes nothing: only the check is left.
            return await GetAsync(key, cancellationToken) is null ? false : throw new ConditionFailed(key);
        }

        try
        {
            // A plain delete still requires a live item, so that "nothing to delete" is visible
            // as a failed condition instead of a tombstone written over nothing.
            await client.UpdateItemAsync(UpdateOf(key, WriteExpressions.Tombstone(condition ?? WriteCondition.Exists, time.GetUtcNow()), ReturnValue.NONE), cancellationToken);
            return true;
        }
        catch (SdkConditionFailed) when (condition is null)
        {
            return false;
        }
        catch (SdkConditionFailed)
        {
            throw new ConditionFailed(key);
        }
    }

    public async Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
    {
        TableArguments.Transaction(writes);
        try
        {
            await client.TransactWriteItemsAsync(TransactionOf(writes, time.GetUtcNow()), cancellationToken);
        }
        catch (SdkTransactionCanceled e)
        {
            // One reason per write, in order; "None" marks the writes that were fine.
            var reasons = (e.CancellationReasons ?? []).Select(r => r.Code is null or "None" ? null : r.Code).ToList();
            throw new TransactionCanceled(reasons.Count == writes.Count ? reasons : [.. writes.Select(_ => (string?)e.ErrorCode)]);
        }
    }

    public async Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
    {
        TableArguments.Batch(writes);
        // Single-item updates rather than BatchWriteItem: each write then gets the next version
        // on the server, which a blind BatchWriteItem put cannot do. Writes to one key stay in
        // order (the second sees the first); different keys run side by side.
        var byKey = writes.GroupBy(w => w.Key).Select(g => g.ToList());
        await Parallel.ForEachAsync(byKey, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.BatchConcurrency), CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                foreach (var write in group)
                {
                    if (write is TableWrite.Put put)
                    {
                        await PutAsync(put.Item, cancellationToken: ct);
                    }
                    else
                    {
                        await DeleteAsync(write.Key, cancellationToken: ct);
                    }
                }
            });
    }

    /// <summary>The TransactWriteItems request for the writes (internal so the shape tests can read it).</summary>
    internal TransactWriteItemsRequest TransactionOf(IReadOnlyList<TableWrite> writes, DateTimeOffset now) => new()
    {
        TransactItems = [.. writes.Select(w => TransactItemOf(w, now))],
    };

    private TransactWriteItem TransactItemOf(TableWrite write, DateTimeOffset now)
    {
        var expression = write switch
        {
            TableWrite.Put put => WriteExpressions.Put(put.Item, put.Condition, now),
            TableWrite.Check check => WriteExpressions.Check(check.Condition ?? WriteCondition.Exists),
            // Must-not-exist: nothing is deleted, so only the check remains.
            TableWrite.Delete { Condition: WriteCondition.NotExistsCondition } => WriteExpressions.Check(WriteCondition.NotExists),
            // An unconditional delete of a missing key may not fail the transaction, so it
            // writes its tombstone regardless (consuming a version, as a delete does).
            TableWrite.Delete delete => WriteExpressions.Tombstone(delete.Condition, now),
            _ => throw new ArgumentOutOfRangeException(nameof(write), write, "Unknown write."),
        };
        var table = TableFor(write.Key.Pk);
        var key = ItemAttributes.KeyOf(write.Key);
        var names = expression.Expression.Names;
        var values = expression.Expression.Values.Count == 0 ? null : expression.Expression.Values;
        return expression.Update is null
            ? new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = table, Key = key, ConditionExpression = expression.Condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } }
            : new TransactWriteItem { Update = new Update { TableName = table, Key = key, UpdateExpression = expression.Update, ConditionExpression = expression.Condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } };
    }

    private UpdateItemRequest UpdateOf(ItemKey key, WriteExpression expression, ReturnValue returnValues) => new()
    {
        TableName = TableFor(key.Pk),
        Key = ItemAttributes.KeyOf(key),
        UpdateExpression = expression.Update,
        ConditionExpression = expression.Condition,
        ExpressionAttributeNames = expression.Expression.Names,
        ExpressionAttributeValues = expression.Expression.Values.Count == 0 ? null : expression.Expression.Values,
        ReturnValues = returnValues,
    };

    private string TableFor(string pk) => pk.StartsWith(Keys.DenyPrefix, StringComparison.Ordinal) ? options.DenylistTable : options.Table;
}
