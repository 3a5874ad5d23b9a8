using TattooDirectory.Backends.Local.Sqlite;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Contracts;
using static TattooDirectory.Tests.Contracts.ContractItems;

namespace TattooDirectory.Tests.Backends.Local;

public sealed class SqliteChangeStreamTests : ChangeStreamContract<SqliteStore>
{
    private readonly SqliteStoreHost _host = new();

    protected override ValueTask<(ITable Table, SqliteStore Stream)> OpenAsync(TimeProvider timeProvider)
    {
        var store = _host.Open(timeProvider);
        return ValueTask.FromResult<(ITable, SqliteStore)>((store, store));
    }

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
    public async Task Disposing_the_store_releases_a_waiting_consumer()
    {
        var wait = Stream.WaitForChangesAsync(0, TimeSpan.FromHours(1), Ct);
        Assert.False(wait.IsCompleted);

        _host.Close();

        await wait.Promptly();
    }

    // Retention runs on the adapter's own clock only locally (DynamoDB trims on AWS's clock),
    // so this lives here rather than in the contract.
    [Fact]
    public async Task Saving_a_checkpoint_trims_records_older_than_24_hours_and_keeps_newer_ones()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromHours(1));
        await Table.PutAsync(NewItem("ARTIST#2", "PROFILE"), cancellationToken: Ct);
        var latest = await Stream.GetLatestSequenceAsync(Ct);
        Clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromSeconds(1));

        await Stream.SaveCheckpointAsync("search-sync", latest, Ct);

        var kept = await Stream.ReadAsync(0, 10, Ct);
        Assert.Equal(["ARTIST#2"], kept.Select(r => r.Key.Pk));
        Assert.Equal(latest, await Stream.GetLatestSequenceAsync(Ct));
    }

    [Fact]
    public async Task Retention_never_trims_a_record_younger_than_24_hours()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromHours(24));

        await Stream.SaveCheckpointAsync("search-sync", 1, Ct);

        Assert.Single(await Stream.ReadAsync(0, 10, Ct));
    }

    [Fact]
    public async Task Retention_keeps_old_records_a_consumer_has_not_read_yet()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        await Table.PutAsync(NewItem("ARTIST#2", "PROFILE"), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromDays(2));

        // The sync was down for two days: it has only read the first record.
        await Stream.SaveCheckpointAsync("search-sync", 1, Ct);

        Assert.Equal(["ARTIST#2"], (await Stream.ReadAsync(1, 10, Ct)).Select(r => r.Key.Pk));
    }
}
