using Amazon.DynamoDBv2;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.DynamoDb;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Contracts;
using static TattooDirectory.Tests.Contracts.ContractItems;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>The table contract on a DynamoDB endpoint: a fresh table pair per test, deleted afterwards.</summary>
public abstract class DynamoDbTableContract : TableContract<DynamoDbTable>
{
    private AmazonDynamoDBClient? _client;

    protected AwsOptions Settings { get; private set; } = null!;

    protected abstract Task<Uri> EndpointAsync();

    protected override async ValueTask<DynamoDbTable> OpenAsync(TimeProvider timeProvider)
    {
        Settings = AwsEmulators.Options(dynamoDb: await EndpointAsync());
        _client = AwsEmulators.DynamoDbClient(Settings);
        await DynamoDbSchema.EnsureTablesAsync(_client, Settings.DynamoDb, TimeProvider.System, TestContext.Current.CancellationToken);
        return new DynamoDbTable(_client, Settings.DynamoDb, timeProvider);
    }

    protected override ValueTask CloseAsync() => ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_client is not null)
        {
            await _client.DeleteTableAsync(Settings.DynamoDb.Table);
            await _client.DeleteTableAsync(Settings.DynamoDb.DenylistTable);
            _client.Dispose();
        }
    }

    [Fact]
    public async Task Denylist_items_live_in_the_denylist_table()
    {
        var entry = await Table.PutAsync(NewItem(Keys.DenyPrefix + "abc", "DENY"), cancellationToken: TestContext.Current.CancellationToken);
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: TestContext.Current.CancellationToken);

        var raw = await _client!.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = Settings.DynamoDb.DenylistTable }, TestContext.Current.CancellationToken);

        Assert.Equal([entry.Pk], raw.Items.Select(i => i["PK"].S));
        Assert.Equal(entry, await Table.GetAsync(entry.Key, TestContext.Current.CancellationToken));
        Assert.Equal([entry.Key], await Table.ScanAsync(Keys.DenyPrefix, TestContext.Current.CancellationToken).Select(i => i.Key).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await Table.ScanAsync("", TestContext.Current.CancellationToken).CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_deleted_item_is_invisible_to_queries_scans_and_indexes()
    {
        var ct = TestContext.Current.CancellationToken;
        var gone = await Table.PutAsync(NewItem("ARTIST#1", "IMAGE#a") with { Gsi3 = new("INSTAGRAM#ada", "PROFILE") }, cancellationToken: ct);
        await Table.PutAsync(NewItem("ARTIST#1", "IMAGE#b"), cancellationToken: ct);
        Assert.True(await Table.DeleteAsync(gone.Key, cancellationToken: ct));

        var page = await Table.QueryAsync(new TableQuery("ARTIST#1") { Limit = 1 }, ct);

        Assert.Equal(["IMAGE#b"], page.Items.Select(i => i.Sk));
        Assert.Null(page.NextCursor);
        Assert.Empty((await Table.QueryAsync(new TableQuery("INSTAGRAM#ada") { Index = TableIndex.Gsi3 }, ct)).Items);
        Assert.Equal(["IMAGE#b"], await Table.ScanAsync("ARTIST#", ct).Select(i => i.Sk).ToListAsync(ct));
        Assert.False(await Table.DeleteAsync(gone.Key, cancellationToken: ct));
    }

    [Fact]
    public async Task An_index_sort_key_holding_a_nul_character_is_rejected() =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.PutAsync(
            NewItem("ARTIST#1", "PROFILE") with { Gsi2 = new("NAME#a", "a\0b") }, cancellationToken: TestContext.Current.CancellationToken));
}

/// <summary>
/// The table contract on dynalite. dynalite has no TransactWriteItems (UnknownOperationException),
/// so the transaction tests that write are skipped here; the request the adapter sends and its
/// reading of DynamoDB's cancellation are covered by <see cref="DynamoDbShapeTests"/>, and each
/// transactional write is the same expression the single-item writes run here.
/// </summary>
public sealed class DynaliteTableTests : DynamoDbTableContract
{
    private static readonly HashSet<string> NeedsTransactions = new(StringComparer.Ordinal)
    {
        nameof(A_transaction_applies_every_write_when_all_conditions_hold),
        nameof(A_transaction_with_a_failing_condition_writes_nothing_and_names_the_failed_writes),
        nameof(A_transaction_of_more_than_100_writes_is_rejected),
    };

    protected override Task<Uri> EndpointAsync()
    {
        Assert.SkipWhen(NeedsTransactions.Contains(TestContext.Current.TestMethod?.MethodName ?? ""),
            "dynalite does not implement TransactWriteItems; DynamoDbShapeTests check the request and the cancellation handling.");
        return AwsEmulators.DynaliteAsync();
    }
}

/// <summary>The whole table contract on LocalStack, when LOCALSTACK_ENDPOINT points at one.</summary>
public sealed class LocalStackTableTests : DynamoDbTableContract
{
    protected override Task<Uri> EndpointAsync() => Task.FromResult(AwsEmulators.LocalStack());
}
