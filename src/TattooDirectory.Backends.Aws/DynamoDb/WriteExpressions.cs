using Amazon.DynamoDBv2.Model;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Backends.Aws.DynamoDb;

/// <summary>One item write as an UpdateItem (or a ConditionCheck when <see cref="Update"/> is null).</summary>
internal sealed record WriteExpression(string? Update, string? Condition, Expression Expression);

/// <summary>
/// The item writes of the table port as DynamoDB expressions. Every write is an UpdateItem that
/// computes the next version on the server (<c>if_not_exists(version, 0) + 1</c>), so a put
/// needs no read first and the version can never be lost between a read and a write.
/// </summary>
internal static class WriteExpressions
{
    public static WriteExpression Put(Item item, WriteCondition? condition, DateTimeOffset now)
    {
        var e = new Expression();
        var set = new List<string>
        {
            $"{e.Name(ItemAttributes.Data)} = {e.Text(item.Data)}",
            $"{e.Name(ItemAttributes.UpdatedAt)} = {e.Text(ItemAttributes.FormatTime(now))}",
            NextVersion(e),
        };
        var remove = new List<string> { e.Name(ItemAttributes.Deleted) };
        foreach (var index in ItemAttributes.Indexes)
        {
            if (item.KeyFor(index) is { } key)
            {
                set.Add($"{e.Name(ItemAttributes.IndexPk(index))} = {e.Text(key.Pk)}");
                set.Add($"{e.Name(ItemAttributes.IndexSk(index))} = {e.Text(ItemAttributes.IndexSortValue(key.Sk, item.Pk, item.Sk))}");
            }
            else
            {
                remove.Add(e.Name(ItemAttributes.IndexPk(index)));
                remove.Add(e.Name(ItemAttributes.IndexSk(index)));
            }
        }

        var update = $"SET {string.Join(", ", set)} REMOVE {string.Join(", ", remove)}";
        return new WriteExpression(update, condition is null ? null : Condition(e, condition), e);
    }

    /// <summary>Turns the item into a tombstone that keeps only its key and version; <paramref name="condition"/> null writes it unconditionally.</summary>
    public static WriteExpression Tombstone(WriteCondition? condition, DateTimeOffset now)
    {
        var e = new Expression();
        var remove = ItemAttributes.Indexes
            .SelectMany(i => new[] { ItemAttributes.IndexPk(i), ItemAttributes.IndexSk(i) })
            .Prepend(ItemAttributes.Data)
            .Select(e.Name);
        var update = $"SET {e.Name(ItemAttributes.Deleted)} = {e.Value(new AttributeValue { BOOL = true })}, "
            + $"{e.Name(ItemAttributes.UpdatedAt)} = {e.Text(ItemAttributes.FormatTime(now))}, {NextVersion(e)} "
            + $"REMOVE {string.Join(", ", remove)}";
        return new WriteExpression(update, condition is null ? null : Condition(e, condition), e);
    }

    public static WriteExpression Check(WriteCondition condition)
    {
        var e = new Expression();
        return new WriteExpression(null, Condition(e, condition), e);
    }

    /// <summary>The condition as an expression on the stored attributes: a tombstone counts as no item.</summary>
    public static string Condition(Expression e, WriteCondition condition)
    {
        var live = $"attribute_exists({e.Name(ItemAttributes.Pk)}) AND attribute_not_exists({e.Name(ItemAttributes.Deleted)})";
        return condition switch
        {
            WriteCondition.NotExistsCondition => $"attribute_not_exists({e.Name(ItemAttributes.Pk)}) OR attribute_exists({e.Name(ItemAttributes.Deleted)})",
            WriteCondition.ExistsCondition => live,
            WriteCondition.VersionEqualsCondition expected => $"{live} AND {e.Name(ItemAttributes.Version)} = {e.Number(expected.Version)}",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown condition."),
        };
    }

    private static string NextVersion(Expression e)
    {
        var version = e.Name(ItemAttributes.Version);
        return $"{version} = if_not_exists({version}, {e.Number(0)}) + {e.Number(1)}";
    }
}
