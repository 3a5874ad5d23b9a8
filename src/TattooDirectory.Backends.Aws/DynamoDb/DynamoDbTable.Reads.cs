using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Aws.DynamoDb;

public sealed partial class DynamoDbTable
{
    public async Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default)
    {
        TableArguments.Query(query);
        var request = QueryRequestOf(query);
        var items = new List<Item>();
        // DynamoDB's Limit counts the items it reads before the tombstone filter, so one page
        // can take several requests; asking for one item more than the limit tells whether
        // another page exists.
        do
        {
            request.Limit = query.Limit + 1 - items.Count;
            var response = await client.QueryAsync(request, cancellationToken);
            items.AddRange((response.Items ?? []).Select(ItemAttributes.ToItem).OfType<Item>());
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (items.Count <= query.Limit && request.ExclusiveStartKey is not null);

        if (items.Count <= query.Limit)
        {
            return new QueryPage(items, null);
        }

        items.RemoveRange(query.Limit, items.Count - query.Limit);
        return new QueryPage(items, CursorAfter(query, items[^1]));
    }

    /// <summary>
    /// Scan returns items in hash order, and the port promises key order, so the matching items
    /// are gathered and sorted before the first is returned. Fine for the prefixes the app scans
    /// (artists, studios, the denylist, the outbox); a table of many millions would want keys
    /// first and BatchGetItem in key order instead.
    /// </summary>
    public async IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKeyPrefix);
        var items = new List<Item>();
        foreach (var table in TablesFor(partitionKeyPrefix))
        {
            var e = new Expression();
            var filter = $"attribute_not_exists({e.Name(ItemAttributes.Deleted)})";
            if (partitionKeyPrefix.Length > 0)
            {
                filter += $" AND begins_with({e.Name(ItemAttributes.Pk)}, {e.Text(partitionKeyPrefix)})";
            }

            var request = new ScanRequest
            {
                TableName = table,
                ConsistentRead = true,
                FilterExpression = filter,
                ExpressionAttributeNames = e.Names,
                ExpressionAttributeValues = e.Values.Count == 0 ? null : e.Values,
            };
            do
            {
                var response = await client.ScanAsync(request, cancellationToken);
                items.AddRange((response.Items ?? []).Select(ItemAttributes.ToItem).OfType<Item>());
                request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            }
            while (request.ExclusiveStartKey is not null);
        }

        items.Sort(static (a, b) => KeyOrder.Compare(a.Key, b.Key));
        foreach (var item in items)
        {
            yield return item;
        }
    }

    private QueryRequest QueryRequestOf(TableQuery query)
    {
        var e = new Expression();
        var index = query.Index;
        var pk = e.Name(index is { } i ? ItemAttributes.IndexPk(i) : ItemAttributes.Pk);
        // Named only when a sort key condition uses it: DynamoDB rejects unused names.
        string Sk() => e.Name(index is { } j ? ItemAttributes.IndexSk(j) : ItemAttributes.Sk);
        var condition = $"{pk} = {e.Text(query.PartitionKey)}";
        // An index sort key is stored as "{sort key}\0{PK}\0{SK}": a prefix still matches it, and
        // "{to}\u0001" is above every stored value whose logical sort key is at most "to".
        var to = query.SortKeyTo is null ? null : index is null ? query.SortKeyTo : query.SortKeyTo + "\u0001";
        condition += (query.SortKeyPrefix, query.SortKeyFrom, to) switch
        {
            ({ Length: > 0 } prefix, _, _) => $" AND begins_with({Sk()}, {e.Text(prefix)})",
            (_, { } from, { } upTo) => $" AND {Sk()} BETWEEN {e.Text(from)} AND {e.Text(upTo)}",
            (_, { } from, null) => $" AND {Sk()} >= {e.Text(from)}",
            (_, null, { } upTo) => $" AND {Sk()} <= {e.Text(upTo)}",
            _ => "",
        };

        var request = new QueryRequest
        {
            TableName = index is null ? TableFor(query.PartitionKey) : options.Table,
            IndexName = index is { } n ? ItemAttributes.IndexName(n) : null,
            // Tombstones keep no index keys, so only the table itself can hold them.
            ConsistentRead = index is null,
            KeyConditionExpression = condition,
            FilterExpression = index is null ? $"attribute_not_exists({e.Name(ItemAttributes.Deleted)})" : null,
            ExpressionAttributeNames = e.Names,
            ExpressionAttributeValues = e.Values,
            ScanIndexForward = !query.Descending,
        };
        if (query.Cursor is { } cursor)
        {
            request.ExclusiveStartKey = StartKeyOf(query, cursor);
        }

        return request;
    }

    /// <summary>The cursor holds the order key of the last item: its sort key, or for an index its index sort key and primary key.</summary>
    private static string CursorAfter(TableQuery query, Item last) => QueryCursor.Encode(query.Index is { } index
        ? [last.KeyFor(index)!.Value.Sk, last.Pk, last.Sk]
        : [last.Sk]);

    private static Dictionary<string, AttributeValue> StartKeyOf(TableQuery query, string cursor)
    {
        if (query.Index is not { } index)
        {
            var sk = QueryCursor.Decode(cursor, 1)[0];
            return ItemAttributes.KeyOf(new ItemKey(query.PartitionKey, sk));
        }

        var position = QueryCursor.Decode(cursor, 3);
        var start = ItemAttributes.KeyOf(new ItemKey(position[1], position[2]));
        start[ItemAttributes.IndexPk(index)] = new AttributeValue { S = query.PartitionKey };
        start[ItemAttributes.IndexSk(index)] = new AttributeValue { S = ItemAttributes.IndexSortValue(position[0], position[1], position[2]) };
        return start;
    }

    private IEnumerable<string> TablesFor(string prefix)
    {
        if (!prefix.StartsWith(Keys.DenyPrefix, StringComparison.Ordinal))
        {
            yield return options.Table;
        }

        if (prefix.StartsWith(Keys.DenyPrefix, StringComparison.Ordinal) || Keys.DenyPrefix.StartsWith(prefix, StringComparison.Ordinal))
        {
            yield return options.DenylistTable;
        }
    }
}

/// <summary>DynamoDB's key order: strings compared as UTF-8 bytes (which differs from UTF-16 order past U+D7FF).</summary>
internal static class KeyOrder
{
    public static int Compare(ItemKey a, ItemKey b)
    {
        var byPk = Compare(a.Pk, b.Pk);
        return byPk != 0 ? byPk : Compare(a.Sk, b.Sk);
    }

    public static int Compare(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}

/// <summary>An opaque page cursor: the order-key values of the last item returned, as base64url JSON.</summary>
internal static class QueryCursor
{
    public static string Encode(string[] position) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position, CursorJsonContext.Default.StringArray));

    public static string[] Decode(string cursor, int expectedLength)
    {
        string[]? position = null;
        try
        {
            position = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(cursor), CursorJsonContext.Default.StringArray);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ArgumentException("The cursor was not issued for this kind of query.", nameof(cursor), e);
        }

        return position is not null && position.Length == expectedLength && position.All(v => v is not null)
            ? position
            : throw new ArgumentException("The cursor was not issued for this kind of query.", nameof(cursor));
    }
}

[JsonSerializable(typeof(string[]))]
internal sealed partial class CursorJsonContext : JsonSerializerContext;
