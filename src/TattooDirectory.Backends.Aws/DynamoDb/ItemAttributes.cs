using System.Globalization;
using Amazon.DynamoDBv2.Model;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Aws.DynamoDb;

/// <summary>
/// How an <see cref="Item"/> is laid out as DynamoDB attributes. A delete leaves a tombstone
/// (<c>deleted</c> set, data and index keys removed) so the key's version keeps growing across a
/// delete and re-create as the port requires; tombstones are never in an index and every read
/// skips them. An index sort key is stored as <c>{sort key}\0{PK}\0{SK}</c>, which orders equal
/// index sort keys by primary key on every DynamoDB implementation (the port's total order) and
/// still matches prefixes and ranges of the logical sort key.
/// </summary>
internal static class ItemAttributes
{
    public const string Pk = "PK";
    public const string Sk = "SK";
    public const string Data = "data";
    public const string Version = "version";
    public const string UpdatedAt = "updatedAt";
    public const string Deleted = "deleted";
    public const char Separator = '\0';

    public static readonly TableIndex[] Indexes = Enum.GetValues<TableIndex>();

    public static string IndexName(TableIndex index) => $"GSI{(int)index}";

    public static string IndexPk(TableIndex index) => $"GSI{(int)index}PK";

    public static string IndexSk(TableIndex index) => $"GSI{(int)index}SK";

    public static string IndexSortValue(string sortKey, string pk, string sk) => $"{sortKey}{Separator}{pk}{Separator}{sk}";

    public static Dictionary<string, AttributeValue> KeyOf(ItemKey key) => new(StringComparer.Ordinal)
    {
        [Pk] = new AttributeValue { S = key.Pk },
        [Sk] = new AttributeValue { S = key.Sk },
    };

    public static bool IsTombstone(Dictionary<string, AttributeValue> attributes) => attributes.ContainsKey(Deleted);

    /// <summary>The live item the attributes hold, or null for a tombstone or nothing.</summary>
    public static Item? ToItem(Dictionary<string, AttributeValue>? attributes)
    {
        if (attributes is null || attributes.Count == 0 || IsTombstone(attributes))
        {
            return null;
        }

        var pk = attributes[Pk].S;
        var sk = attributes[Sk].S;
        return new Item
        {
            Pk = pk,
            Sk = sk,
            Data = attributes[Data].S,
            Gsi1 = IndexKeyOf(attributes, TableIndex.Gsi1),
            Gsi2 = IndexKeyOf(attributes, TableIndex.Gsi2),
            Gsi3 = IndexKeyOf(attributes, TableIndex.Gsi3),
            Gsi4 = IndexKeyOf(attributes, TableIndex.Gsi4),
            Version = long.Parse(attributes[Version].N, CultureInfo.InvariantCulture),
            UpdatedAt = DateTimeOffset.ParseExact(attributes[UpdatedAt].S, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }

    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static IndexKey? IndexKeyOf(Dictionary<string, AttributeValue> attributes, TableIndex index)
    {
        if (!attributes.TryGetValue(IndexPk(index), out var pk) || !attributes.TryGetValue(IndexSk(index), out var sk))
        {
            return null;
        }

        var end = sk.S.IndexOf(Separator, StringComparison.Ordinal);
        return new IndexKey(pk.S, end < 0 ? sk.S : sk.S[..end]);
    }
}
