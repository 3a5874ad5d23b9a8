using TattooDirectory.Backends.Local.Sqlite;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Contracts;
using static TattooDirectory.Tests.Contracts.ContractItems;

namespace TattooDirectory.Tests.Backends.Local;

public sealed class SqliteTableTests : TableContract<SqliteStore>
{
    private readonly SqliteStoreHost _host = new();

    protected override ValueTask<SqliteStore> OpenAsync(TimeProvider timeProvider) => ValueTask.FromResult(_host.Open(timeProvider));

    protected override ValueTask CloseAsync()
    {
        _host.Close();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Concurrent_writes_to_one_key_are_serialised_without_losing_a_version()
    {
        var key = new ItemKey("ARTIST#1", "PROFILE");

        var stored = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => Table.PutAsync(NewItem(key.Pk, key.Sk, $"{{\"n\":{i}}}"), cancellationToken: TestContext.Current.CancellationToken))));

        Assert.Equal(Enumerable.Range(1, 40).Select(v => (long)v), stored.Select(i => i.Version).Order());
        Assert.Equal(40, (await Table.GetAsync(key, TestContext.Current.CancellationToken))?.Version);
    }

    [Fact]
    public async Task A_batch_larger_than_one_chunk_is_written_completely()
    {
        var writes = Enumerable.Range(0, SqliteStore.BatchChunkSize + 5).Select(i => (TableWrite)PutOf($"BULK#{i:D6}", "PROFILE")).ToList();

        await Table.BatchWriteAsync(writes, TestContext.Current.CancellationToken);

        Assert.Equal(writes.Count, await Table.ScanAsync("BULK#", TestContext.Current.CancellationToken).CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_last_page_of_a_query_has_no_cursor_even_when_full()
    {
        await Table.BatchWriteAsync([PutOf("P", "a"), PutOf("P", "b")], TestContext.Current.CancellationToken);

        var page = await Table.QueryAsync(new TableQuery("P") { Limit = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("WyJhIiwiYiJd")]
    public async Task A_cursor_the_store_did_not_issue_for_the_query_is_rejected(string cursor) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.QueryAsync(new TableQuery("P") { Cursor = cursor }, TestContext.Current.CancellationToken));
}
