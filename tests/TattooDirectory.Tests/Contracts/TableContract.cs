using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Storage;
using static TattooDirectory.Tests.Contracts.ContractItems;

namespace TattooDirectory.Tests.Contracts;

/// <summary>
/// What every <see cref="ITable"/> adapter must do (the DynamoDB semantics the app relies on).
/// A subclass opens its adapter over fresh, empty storage and closes it without deleting it.
/// </summary>
public abstract class TableContract<TTable> : IAsyncLifetime where TTable : class, ITable
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    protected TTable Table { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the adapter over this test's storage, empty at the start of a test.</summary>
    protected abstract ValueTask<TTable> OpenAsync(TimeProvider timeProvider);

    /// <summary>Closes the adapter, leaving its storage in place.</summary>
    protected abstract ValueTask CloseAsync();

    public async ValueTask InitializeAsync() => Table = await OpenAsync(Clock);

    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_put_item_reads_back_with_version_1_and_the_clock_time()
    {
        var stored = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", """{"name":"Ada"}""") with { Version = 42 }, cancellationToken: Ct);

        Assert.Equal(1, stored.Version);
        Assert.Equal(Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(stored, await Table.GetAsync(stored.Key, Ct));
    }

    [Fact]
    public async Task Each_put_of_a_key_increments_its_version()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", """{"n":1}"""), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", """{"n":2}"""), cancellationToken: Ct);

        Assert.Equal(2, second.Version);
        var read = await Table.GetAsync(second.Key, Ct);
        Assert.Equal("""{"n":2}""", read?.Data);
        Assert.Equal(Clock.GetUtcNow(), read?.UpdatedAt);
    }

    [Fact]
    public async Task Getting_a_missing_key_returns_null() => Assert.Null(await Table.GetAsync(new ItemKey("ARTIST#none", "PROFILE"), Ct));

    [Fact]
    public async Task Versions_keep_growing_after_a_delete_and_re_create()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        var before = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        Assert.True(await Table.DeleteAsync(before.Key, cancellationToken: Ct));

        var recreated = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), WriteCondition.NotExists, Ct);

        Assert.True(recreated.Version > before.Version, $"re-created at {recreated.Version} after {before.Version}");
        Assert.Equal(recreated.Version, (await Table.GetAsync(recreated.Key, Ct))?.Version);
    }

    [Fact]
    public async Task Put_if_not_exists_fails_when_the_item_exists_and_leaves_it_unchanged()
    {
        var first = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "first"), WriteCondition.NotExists, Ct);

        var failure = await Assert.ThrowsAsync<ConditionalCheckFailedException>(
            () => Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "second"), WriteCondition.NotExists, Ct));

        Assert.Equal(first.Key, failure.Key);
        Assert.Equal(first, await Table.GetAsync(first.Key, Ct));
    }

    [Fact]
    public async Task Put_if_exists_fails_when_the_item_is_missing()
    {
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(
            () => Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), WriteCondition.Exists, Ct));

        Assert.Null(await Table.GetAsync(new ItemKey("ARTIST#1", "PROFILE"), Ct));
    }

    [Fact]
    public async Task Conditional_put_fails_when_the_version_changed()
    {
        var first = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "a"), cancellationToken: Ct);
        var second = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "b"), WriteCondition.VersionEquals(first.Version), Ct);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(
            () => Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "stale"), WriteCondition.VersionEquals(first.Version), Ct));

        Assert.Equal(second, await Table.GetAsync(first.Key, Ct));
    }

    [Fact]
    public async Task Deleting_a_missing_item_returns_false()
    {
        Assert.False(await Table.DeleteAsync(new ItemKey("ARTIST#none", "PROFILE"), cancellationToken: Ct));
        Assert.False(await Table.DeleteAsync(new ItemKey("ARTIST#none", "PROFILE"), WriteCondition.NotExists, Ct));
    }

    [Fact]
    public async Task Delete_with_a_stale_version_fails_and_keeps_the_item()
    {
        var first = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        var second = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(
            () => Table.DeleteAsync(first.Key, WriteCondition.VersionEquals(first.Version), Ct));
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(
            () => Table.DeleteAsync(new ItemKey("ARTIST#none", "PROFILE"), WriteCondition.Exists, Ct));

        Assert.Equal(second, await Table.GetAsync(first.Key, Ct));
        Assert.True(await Table.DeleteAsync(first.Key, WriteCondition.VersionEquals(second.Version), Ct));
        Assert.Null(await Table.GetAsync(first.Key, Ct));
    }

    [Fact]
    public async Task A_transaction_applies_every_write_when_all_conditions_hold()
    {
        var removed = await Table.PutAsync(NewItem("T#1", "removed"), cancellationToken: Ct);
        var checkedItem = await Table.PutAsync(NewItem("T#1", "checked"), cancellationToken: Ct);

        await Table.TransactWriteAsync(
        [
            new TableWrite.Put(NewItem("T#1", "created"), WriteCondition.NotExists),
            new TableWrite.Delete(removed.Key, WriteCondition.VersionEquals(removed.Version)),
            new TableWrite.Check(checkedItem.Key, WriteCondition.Exists),
            PutOf("T#2", "plain"),
        ], Ct);

        Assert.Equal(1, (await Table.GetAsync(new ItemKey("T#1", "created"), Ct))?.Version);
        Assert.Null(await Table.GetAsync(removed.Key, Ct));
        Assert.Equal(checkedItem, await Table.GetAsync(checkedItem.Key, Ct));
        Assert.NotNull(await Table.GetAsync(new ItemKey("T#2", "plain"), Ct));
    }

    [Fact]
    public async Task A_transaction_with_a_failing_condition_writes_nothing_and_names_the_failed_writes()
    {
        var existing = await Table.PutAsync(NewItem("T#1", "existing"), cancellationToken: Ct);

        var failure = await Assert.ThrowsAsync<TransactionCanceledException>(() => Table.TransactWriteAsync(
        [
            PutOf("T#1", "new"),
            new TableWrite.Put(NewItem("T#1", "existing", "changed"), WriteCondition.NotExists),
            new TableWrite.Delete(new ItemKey("T#1", "other"), WriteCondition.VersionEquals(1)),
            new TableWrite.Check(new ItemKey("T#1", "missing"), WriteCondition.NotExists),
        ], Ct));

        Assert.Equal([null, "ConditionalCheckFailed", "ConditionalCheckFailed", null], failure.Reasons);
        Assert.Null(await Table.GetAsync(new ItemKey("T#1", "new"), Ct));
        Assert.Equal(existing, await Table.GetAsync(existing.Key, Ct));
    }

    [Fact]
    public async Task A_transaction_of_more_than_100_writes_is_rejected()
    {
        var tooMany = Enumerable.Range(0, ITable.MaxTransactionItems + 1).Select(i => (TableWrite)PutOf("T#1", $"{i:D3}")).ToList();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.TransactWriteAsync(tooMany, Ct));
        Assert.Null(await Table.GetAsync(new ItemKey("T#1", "000"), Ct));

        await Table.TransactWriteAsync(tooMany[..ITable.MaxTransactionItems], Ct);
        Assert.NotNull(await Table.GetAsync(new ItemKey("T#1", "099"), Ct));
    }

    [Fact]
    public async Task A_transaction_naming_a_key_twice_is_rejected()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.TransactWriteAsync(
            [PutOf("T#1", "a"), new TableWrite.Delete(new ItemKey("T#1", "a"))], Ct));

        Assert.Null(await Table.GetAsync(new ItemKey("T#1", "a"), Ct));
    }

    [Fact]
    public async Task A_sort_key_prefix_selects_the_matching_items_of_one_partition_in_order()
    {
        await Table.BatchWriteAsync(
            [PutOf("ARTIST#1", "PROFILE"), PutOf("ARTIST#1", "IMAGE#b"), PutOf("ARTIST#1", "IMAGE#a"), PutOf("ARTIST#1", "IMAGF"), PutOf("ARTIST#1", "IMAGE"), PutOf("ARTIST#2", "IMAGE#c")],
            Ct);

        var page = await Table.QueryAsync(new TableQuery("ARTIST#1") { SortKeyPrefix = "IMAGE#" }, Ct);

        Assert.Equal(["IMAGE#a", "IMAGE#b"], page.Items.Select(i => i.Sk));
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("50%_", new[] { "50%_off", "50%_on" })]
    [InlineData("caf\u00e9", new[] { "caf\u00e9#1", "caf\u00e9#2" })]
    [InlineData("emoji\U0001F600", new[] { "emoji\U0001F600a", "emoji\U0001F600\U0001F600" })]
    public async Task A_sort_key_prefix_matches_literally_whatever_its_characters(string prefix, string[] expected)
    {
        string[] sortKeys = ["50%_off", "50%_on", "50x_off", "50%", "caf\u00e9#1", "caf\u00e9#2", "cafe#1", "caf\u00ea", "emoji\U0001F600a", "emoji\U0001F600\U0001F600", "emoji\U0001F601"];
        await Table.BatchWriteAsync([.. sortKeys.Select(sk => PutOf("P", sk))], Ct);

        var page = await Table.QueryAsync(new TableQuery("P") { SortKeyPrefix = prefix }, Ct);

        Assert.Equal(expected, page.Items.Select(i => i.Sk));
    }

    [Fact]
    public async Task A_sort_key_range_includes_both_ends()
    {
        await Table.BatchWriteAsync([.. "abcde".Select(c => PutOf("P", c.ToString()))], Ct);

        Assert.Equal(["b", "c", "d"], await SortKeys(new TableQuery("P") { SortKeyFrom = "b", SortKeyTo = "d" }));
        Assert.Equal(["d", "e"], await SortKeys(new TableQuery("P") { SortKeyFrom = "d" }));
        Assert.Equal(["a", "b"], await SortKeys(new TableQuery("P") { SortKeyTo = "b" }));
        Assert.Equal(["d", "c", "b"], await SortKeys(new TableQuery("P") { SortKeyFrom = "b", SortKeyTo = "d", Descending = true }));
    }

    [Fact]
    public async Task A_query_with_both_a_prefix_and_a_range_is_rejected() =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.QueryAsync(new TableQuery("P") { SortKeyPrefix = "a", SortKeyFrom = "a" }, Ct));

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_query_limit_outside_1_to_1000_is_rejected(int limit) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.QueryAsync(new TableQuery("P") { Limit = limit }, Ct));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Paging_with_the_cursor_returns_every_item_once_in_order(bool descending)
    {
        var all = Enumerable.Range(0, 25).Select(i => $"IMAGE#{i:D2}").ToList();
        await Table.BatchWriteAsync([.. all.Select(sk => PutOf("ARTIST#1", sk)), PutOf("ARTIST#1", "PROFILE")], Ct);

        var pages = await AllPages(new TableQuery("ARTIST#1") { SortKeyPrefix = "IMAGE#", Limit = 10, Descending = descending });

        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages.SkipLast(1), p => Assert.Equal(10, p.Count));
        Assert.Equal(descending ? all.AsEnumerable().Reverse() : all, pages.SelectMany(p => p).Select(i => i.Sk));
    }

    [Fact]
    public async Task An_index_query_orders_by_index_sort_key_then_primary_key()
    {
        await Table.BatchWriteAsync(
        [
            new TableWrite.Put(NewItem("ARTIST#3", "STYLE#blackwork") with { Gsi1 = new("STYLE#blackwork", "GEO#gcpv#ARTIST#3") }),
            new TableWrite.Put(NewItem("ARTIST#1", "STYLE#blackwork") with { Gsi1 = new("STYLE#blackwork", "GEO#gcpu#ARTIST#1") }),
            new TableWrite.Put(NewItem("ARTIST#2", "STYLE#blackwork") with { Gsi1 = new("STYLE#blackwork", "GEO#gcpv#ARTIST#3") }),
            new TableWrite.Put(NewItem("ARTIST#4", "STYLE#blackwork") with { Gsi1 = new("STYLE#blackwork", "GEO#u10h#ARTIST#4") }),
            new TableWrite.Put(NewItem("ARTIST#5", "STYLE#realism") with { Gsi1 = new("STYLE#realism", "GEO#gcpv#ARTIST#5") }),
            new TableWrite.Put(NewItem("ARTIST#6", "STYLE#blackwork") with { Gsi2 = new("STYLE#blackwork", "GEO#gcpv#ARTIST#6") }),
            PutOf("STYLE#blackwork", "GEO#gcpv#ARTIST#7"),
        ], Ct);

        var page = await Table.QueryAsync(new TableQuery("STYLE#blackwork") { Index = TableIndex.Gsi1, SortKeyPrefix = "GEO#gcp" }, Ct);

        Assert.Equal(["ARTIST#1", "ARTIST#2", "ARTIST#3"], page.Items.Select(i => i.Pk));
        Assert.All(page.Items, i => Assert.Equal("STYLE#blackwork", i.Gsi1?.Pk));
    }

    [Fact]
    public async Task Paging_an_index_with_equal_sort_keys_returns_every_item_once()
    {
        var pks = Enumerable.Range(0, 7).Select(i => $"ARTIST#{i}").ToList();
        await Table.BatchWriteAsync([.. pks.Select(pk => new TableWrite.Put(NewItem(pk, "PROFILE") with { Gsi3 = new("INSTAGRAM#same", "PROFILE") }))], Ct);

        var pages = await AllPages(new TableQuery("INSTAGRAM#same") { Index = TableIndex.Gsi3, Limit = 3 });

        Assert.Equal(pks, pages.SelectMany(p => p).Select(i => i.Pk));
    }

    [Fact]
    public async Task Rewriting_an_item_moves_or_removes_its_index_entry()
    {
        var key = new ItemKey("ARTIST#1", "PROFILE");
        await Table.PutAsync(NewItem(key.Pk, key.Sk) with { Gsi2 = new("NAME#ada", key.Pk) }, cancellationToken: Ct);
        await Table.PutAsync(NewItem(key.Pk, key.Sk) with { Gsi2 = new("NAME#bea", key.Pk) }, cancellationToken: Ct);

        Assert.Empty((await Table.QueryAsync(new TableQuery("NAME#ada") { Index = TableIndex.Gsi2 }, Ct)).Items);
        Assert.Single((await Table.QueryAsync(new TableQuery("NAME#bea") { Index = TableIndex.Gsi2 }, Ct)).Items);

        await Table.PutAsync(NewItem(key.Pk, key.Sk), cancellationToken: Ct);
        Assert.Empty((await Table.QueryAsync(new TableQuery("NAME#bea") { Index = TableIndex.Gsi2 }, Ct)).Items);
    }

    [Fact]
    public async Task A_batch_write_applies_puts_and_deletes_beyond_the_transaction_limit()
    {
        var doomed = await Table.PutAsync(NewItem("BATCH#0", "doomed"), cancellationToken: Ct);
        var puts = Enumerable.Range(1, 250).Select(i => (TableWrite)PutOf($"BATCH#{i:D3}", "ITEM"));

        await Table.BatchWriteAsync([.. puts, new TableWrite.Delete(doomed.Key), new TableWrite.Delete(new ItemKey("BATCH#none", "ITEM"))], Ct);

        Assert.Null(await Table.GetAsync(doomed.Key, Ct));
        var written = await Table.ScanAsync("BATCH#", Ct).ToListAsync(Ct);
        Assert.Equal(250, written.Count);
        Assert.All(written, i => Assert.Equal(1, i.Version));
    }

    [Fact]
    public async Task A_batch_write_rejects_conditional_writes_and_writes_nothing()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.BatchWriteAsync(
            [PutOf("BATCH#1", "ITEM"), new TableWrite.Put(NewItem("BATCH#2", "ITEM"), WriteCondition.NotExists)], Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.BatchWriteAsync(
            [PutOf("BATCH#1", "ITEM"), new TableWrite.Check(new ItemKey("BATCH#2", "ITEM"), WriteCondition.Exists)], Ct));

        Assert.Null(await Table.GetAsync(new ItemKey("BATCH#1", "ITEM"), Ct));
    }

    [Fact]
    public async Task A_scan_returns_every_item_under_the_prefix_in_key_order()
    {
        var expected = Enumerable.Range(0, 500)
            .SelectMany(p => Enumerable.Range(0, 5).Select(s => new ItemKey($"SCAN#{p:D4}", $"ITEM#{s}")))
            .ToList();
        await Table.BatchWriteAsync([.. expected.Select(k => PutOf(k.Pk, k.Sk)), PutOf("SCAM#1", "ITEM"), PutOf("SCAN", "ITEM"), PutOf("SCAO#1", "ITEM")], Ct);

        var scanned = await Table.ScanAsync("SCAN#", Ct).Select(i => i.Key).ToListAsync(Ct);

        Assert.Equal(expected, scanned);
        Assert.Equal(expected.Count + 3, await Table.ScanAsync("", Ct).CountAsync(Ct));
    }

    private async Task<List<string>> SortKeys(TableQuery query) => [.. (await Table.QueryAsync(query, Ct)).Items.Select(i => i.Sk)];

    private async Task<List<IReadOnlyList<Item>>> AllPages(TableQuery query)
    {
        var pages = new List<IReadOnlyList<Item>>();
        string? cursor = null;
        do
        {
            var page = await Table.QueryAsync(query with { Cursor = cursor }, Ct);
            pages.Add(page.Items);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 100, "the cursor never ends");
        }
        while (cursor is not null);

        return pages;
    }
}
