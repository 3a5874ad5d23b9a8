using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace TattooDirectory.Backends.Aws.DynamoDb;

/// <summary>
/// Creates the two tables when they are missing (first start, tests): on-demand capacity, the
/// single table with GSI1-4 (all attributes projected) and a NEW_AND_OLD_IMAGES stream for the
/// search sync; the denylist table with the same key schema. In production the CDK stack owns
/// them and this finds them present.
/// </summary>
public static class DynamoDbSchema
{
    public static async Task EnsureTablesAsync(IAmazonDynamoDB client, DynamoDbOptions options, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        await EnsureAsync(client, MainTable(options.Table), time, cancellationToken);
        await EnsureAsync(client, DenylistTable(options.DenylistTable), time, cancellationToken);
    }

    internal static CreateTableRequest MainTable(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = KeySchema(ItemAttributes.Pk, ItemAttributes.Sk),
        AttributeDefinitions =
        [
            .. new[] { ItemAttributes.Pk, ItemAttributes.Sk }
                .Concat(ItemAttributes.Indexes.SelectMany(i => new[] { ItemAttributes.IndexPk(i), ItemAttributes.IndexSk(i) }))
                .Select(a => new AttributeDefinition(a, ScalarAttributeType.S)),
        ],
        GlobalSecondaryIndexes =
        [
            .. ItemAttributes.Indexes.Select(i => new GlobalSecondaryIndex
            {
                IndexName = ItemAttributes.IndexName(i),
                KeySchema = KeySchema(ItemAttributes.IndexPk(i), ItemAttributes.IndexSk(i)),
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            }),
        ],
        StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
    };

    internal static CreateTableRequest DenylistTable(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = KeySchema(ItemAttributes.Pk, ItemAttributes.Sk),
        AttributeDefinitions = [new(ItemAttributes.Pk, ScalarAttributeType.S), new(ItemAttributes.Sk, ScalarAttributeType.S)],
    };

    private static List<KeySchemaElement> KeySchema(string hash, string range) => [new(hash, KeyType.HASH), new(range, KeyType.RANGE)];

    private static async Task EnsureAsync(IAmazonDynamoDB client, CreateTableRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateTableAsync(request, cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Already there (or being created by another process): wait for it like for our own.
        }

        // Tables and their indexes take a while to become ACTIVE; writes before that fail.
        while (true)
        {
            var table = (await client.DescribeTableAsync(request.TableName, cancellationToken)).Table;
            if (table.TableStatus == TableStatus.ACTIVE && (table.GlobalSecondaryIndexes ?? []).All(i => i.IndexStatus == IndexStatus.ACTIVE))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }
}
