using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Local.Sqlite;

/// <summary>
/// Turns a <see cref="TableQuery"/> or a scan page into SQL over the items table. Every
/// condition is a range on an index prefix (never LIKE or a function of a column), so SQLite
/// seeks straight to the first row and stops at the last one even in a huge GSI partition.
/// </summary>
internal static class SqliteQuery
{
    public const int MaxLimit = 1000;

    public static void Prepare(SqliteCommand command, TableQuery query)
    {
        Validate(query);
        var (pkColumn, skColumn) = query.Index is { } index ? ($"gsi{(int)index}pk", $"gsi{(int)index}sk") : ("pk", "sk");

        // A table partition is ordered by sk alone; an index partition by its sort key, then
        // the primary key, which makes the order total and so the cursor unambiguous.
        string[] order = query.Index is null ? ["sk"] : [skColumn, "pk", "sk"];
        var conditions = new List<string> { $"{pkColumn} = $partition" };
        command.Parameters.AddWithValue("$partition", query.PartitionKey);

        if (query.SortKeyPrefix is { } prefix)
        {
            AddPrefixRange(command, conditions, skColumn, prefix, "$prefix");
        }

        if (query.SortKeyFrom is { } from)
        {
            conditions.Add($"{skColumn} >= $from");
            command.Parameters.AddWithValue("$from", from);
        }

        if (query.SortKeyTo is { } to)
        {
            conditions.Add($"{skColumn} <= $to");
            command.Parameters.AddWithValue("$to", to);
        }

        if (query.Cursor is { } cursor)
        {
            var after = QueryCursor.Decode(cursor, order.Length);
            AddAfter(command, conditions, order, after, query.Descending);
        }

        var direction = query.Descending ? " DESC" : "";
        command.CommandText = $"""
            SELECT {ItemRows.Columns()} FROM items
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY {string.Join(", ", order.Select(c => c + direction))}
            LIMIT $limit
            """;
        // One row more than asked tells whether another page exists without a second query.
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
    }

    /// <summary>The cursor that continues strictly after <paramref name="last"/> in the order of <paramref name="query"/>.</summary>
    public static string CursorAfter(TableQuery query, Item last)
    {
        string[] position = query.Index is { } index
            ? [last.KeyFor(index)!.Value.Sk, last.Pk, last.Sk]
            : [last.Sk];
        return QueryCursor.Encode(position);
    }

    /// <summary>One page of a scan: items whose pk starts with the prefix, after the given key, in key order.</summary>
    public static void PrepareScanPage(SqliteCommand command, string partitionKeyPrefix, ItemKey? after, int pageSize)
    {
        var conditions = new List<string>();
        if (after is { } key)
        {
            // The resume key is the only lower bound, so every page seeks to where the last
            // one stopped instead of re-walking the prefix from its start.
            AddAfter(command, conditions, ["pk", "sk"], [key.Pk, key.Sk], descending: false);
            AddPrefixEnd(command, conditions, "pk", partitionKeyPrefix, "$prefix");
        }
        else
        {
            AddPrefixRange(command, conditions, "pk", partitionKeyPrefix, "$prefix");
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        command.CommandText = $"""
            SELECT {ItemRows.Columns()} FROM items
            {where}
            ORDER BY pk, sk
            LIMIT {pageSize.ToString(CultureInfo.InvariantCulture)}
            """;
    }

    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>,
    /// in SQLite's BINARY (UTF-8 byte) order, or null when no such bound exists. UTF-8 keeps code
    /// point order, so incrementing the last code point (dropping trailing U+10FFFF) gives it.
    /// </summary>
    public static string? PrefixUpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last == 0x10FFFF)
            {
                continue;
            }

            var builder = new StringBuilder(prefix.Length + 1);
            foreach (var rune in runes)
            {
                builder.Append(rune.ToString());
            }

            // Code points D800-DFFF are surrogates, not characters: the successor of D7FF is E000.
            builder.Append(new Rune(last == 0xD7FF ? 0xE000 : last + 1).ToString());
            return builder.ToString();
        }

        return null;
    }

    private static void Validate(TableQuery query)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.PartitionKey, nameof(query));
        if (query.Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"Limit must be between 1 and {MaxLimit}.");
        }

        if (query.Index is { } index && !Enum.IsDefined(index))
        {
            throw new ArgumentOutOfRangeException(nameof(query), index, "Unknown index.");
        }

        if (query.SortKeyPrefix is not null && (query.SortKeyFrom is not null || query.SortKeyTo is not null))
        {
            throw new ArgumentException("A query takes a sort key prefix or a range, not both.", nameof(query));
        }
    }

    private static void AddPrefixRange(SqliteCommand command, List<string> conditions, string column, string prefix, string name)
    {
        if (prefix.Length == 0)
        {
            return;
        }

        conditions.Add($"{column} >= {name}");
        command.Parameters.AddWithValue(name, prefix);
        AddPrefixEnd(command, conditions, column, prefix, name);
    }

    private static void AddPrefixEnd(SqliteCommand command, List<string> conditions, string column, string prefix, string name)
    {
        if (PrefixUpperBound(prefix) is { } upper)
        {
            conditions.Add($"{column} < {name}_end");
            command.Parameters.AddWithValue(name + "_end", upper);
        }
    }

    // A row-value comparison is a single range on the index, unlike the equivalent OR chain.
    private static void AddAfter(SqliteCommand command, List<string> conditions, string[] columns, string[] values, bool descending)
    {
        var names = columns.Select((_, i) => $"$after{i}").ToArray();
        conditions.Add($"({string.Join(", ", columns)}) {(descending ? "<" : ">")} ({string.Join(", ", names)})");
        for (var i = 0; i < names.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i]);
        }
    }
}

/// <summary>An opaque page cursor: the order-key values of the last item returned, as base64url JSON.</summary>
internal static class QueryCursor
{
    public static string Encode(string[] position) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position, QueryCursorJsonContext.Default.StringArray));

    public static string[] Decode(string cursor, int expectedLength)
    {
        try
        {
            var position = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(cursor), QueryCursorJsonContext.Default.StringArray);
            if (position is not null && position.Length == expectedLength && position.All(v => v is not null))
            {
                return position;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ArgumentException("The cursor was not issued for this kind of query.", nameof(cursor), e);
        }

        throw new ArgumentException("The cursor was not issued for this kind of query.", nameof(cursor));
    }
}

[JsonSerializable(typeof(string[]))]
internal sealed partial class QueryCursorJsonContext : JsonSerializerContext;
