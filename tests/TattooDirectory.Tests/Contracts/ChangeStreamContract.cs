using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Storage;
using static TattooDirectory.Tests.Contracts.ContractItems;

namespace TattooDirectory.Tests.Contracts;

/// <summary>
/// What every <see cref="IChangeStream"/> adapter must do, observed through the table that
/// feeds it (DynamoDB Streams with NEW_AND_OLD_IMAGES). A subclass opens the table and its
/// stream over fresh storage; closing and opening again must lose nothing.
/// </summary>
public abstract class ChangeStreamContract<TStream> : IAsyncLifetime where TStream : class, IChangeStream
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    protected ITable Table { get; private set; } = null!;

    protected TStream Stream { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the table and its change stream over this test's storage (empty on the first open, as left on the next).</summary>
    protected abstract ValueTask<(ITable Table, TStream Stream)> OpenAsync(TimeProvider timeProvider);

    /// <summary>Closes both, leaving their storage in place.</summary>
    protected abstract ValueTask CloseAsync();

    public async ValueTask InitializeAsync() => (Table, Stream) = await OpenAsync(Clock);

    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Writes_appear_in_commit_order_with_increasing_sequences_and_both_images()
    {
        var inserted = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "v1"), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var modified = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "v2"), cancellationToken: Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Table.DeleteAsync(inserted.Key, cancellationToken: Ct);
        var other = await Table.PutAsync(NewItem("ARTIST#2", "PROFILE"), cancellationToken: Ct);

        var records = await Stream.ReadAsync(0, 100, Ct);

        Assert.Equal([ChangeKind.Insert, ChangeKind.Modify, ChangeKind.Remove, ChangeKind.Insert], records.Select(r => r.Kind));
        Assert.Equal(records.Select(r => r.Sequence).Order(), records.Select(r => r.Sequence));
        Assert.Equal(records.Count, records.Select(r => r.Sequence).Distinct().Count());
        Assert.Equal((null, inserted), (records[0].OldImage, records[0].NewImage));
        Assert.Equal((inserted, modified), (records[1].OldImage, records[1].NewImage));
        Assert.Equal((modified, null), (records[2].OldImage, records[2].NewImage));
        Assert.Equal(other, records[3].NewImage);
        Assert.Equal(inserted.Key, records[2].Key);
        Assert.Equal(Clock.GetUtcNow(), records[2].CommittedAt);
        Assert.Equal(records[^1].Sequence, await Stream.GetLatestSequenceAsync(Ct));
    }

    [Fact]
    public async Task A_put_of_an_identical_item_is_a_modify()
    {
        var first = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "same"), cancellationToken: Ct);
        var second = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "same"), cancellationToken: Ct);

        var last = (await Stream.ReadAsync(0, 100, Ct))[^1];

        Assert.Equal(ChangeKind.Modify, last.Kind);
        Assert.Equal((first, second), (last.OldImage, last.NewImage));
    }

    [Fact]
    public async Task The_latest_sequence_is_zero_until_the_first_write()
    {
        Assert.Equal(0, await Stream.GetLatestSequenceAsync(Ct));
        Assert.Empty(await Stream.ReadAsync(0, 10, Ct));

        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);

        Assert.True(await Stream.GetLatestSequenceAsync(Ct) > 0);
    }

    [Fact]
    public async Task Writes_that_change_nothing_write_no_change()
    {
        var item = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        var latest = await Stream.GetLatestSequenceAsync(Ct);

        Assert.False(await Table.DeleteAsync(new ItemKey("ARTIST#none", "PROFILE"), cancellationToken: Ct));
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Table.PutAsync(item, WriteCondition.NotExists, Ct));
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Table.DeleteAsync(item.Key, WriteCondition.VersionEquals(item.Version + 1), Ct));
        await Assert.ThrowsAsync<TransactionCanceledException>(() => Table.TransactWriteAsync(
            [PutOf("ARTIST#3", "PROFILE"), new TableWrite.Check(item.Key, WriteCondition.NotExists)], Ct));

        Assert.Equal(latest, await Stream.GetLatestSequenceAsync(Ct));
        Assert.Empty(await Stream.ReadAsync(latest, 10, Ct));
    }

    [Fact]
    public async Task A_transaction_writes_one_change_per_put_or_delete()
    {
        var removed = await Table.PutAsync(NewItem("T#1", "removed"), cancellationToken: Ct);
        var checkedItem = await Table.PutAsync(NewItem("T#1", "checked"), cancellationToken: Ct);
        var latest = await Stream.GetLatestSequenceAsync(Ct);

        await Table.TransactWriteAsync(
            [PutOf("T#1", "created"), new TableWrite.Delete(removed.Key), new TableWrite.Check(checkedItem.Key, WriteCondition.Exists)],
            Ct);

        var records = await Stream.ReadAsync(latest, 10, Ct);
        Assert.Equal(
            [(ChangeKind.Insert, new ItemKey("T#1", "created")), (ChangeKind.Remove, removed.Key)],
            records.Select(r => (r.Kind, r.Key)).OrderBy(r => r.Kind));
    }

    [Fact]
    public async Task Batch_writes_appear_in_the_stream()
    {
        await Table.BatchWriteAsync([.. Enumerable.Range(0, 30).Select(i => (TableWrite)PutOf($"BATCH#{i:D2}", "ITEM"))], Ct);

        var records = await Stream.ReadAsync(0, 100, Ct);

        Assert.Equal(30, records.Count);
        Assert.All(records, r => Assert.Equal(ChangeKind.Insert, r.Kind));
        Assert.Equal(30, records.Select(r => r.Key).Distinct().Count());
    }

    [Fact]
    public async Task Reading_after_a_sequence_returns_at_most_the_requested_number_in_order()
    {
        for (var i = 0; i < 10; i++)
        {
            await Table.PutAsync(NewItem("ARTIST#1", $"IMAGE#{i}"), cancellationToken: Ct);
        }

        var first = await Stream.ReadAsync(0, 4, Ct);
        var rest = await Stream.ReadAsync(first[^1].Sequence, 100, Ct);

        Assert.Equal(4, first.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"IMAGE#{i}"), first.Concat(rest).Select(r => r.Key.Sk));
    }

    [Fact]
    public async Task Checkpoints_are_kept_per_consumer_and_start_at_zero()
    {
        Assert.Equal(0, await Stream.GetCheckpointAsync("search-sync", Ct));

        await Stream.SaveCheckpointAsync("search-sync", 7, Ct);
        await Stream.SaveCheckpointAsync("search-sync", 9, Ct);
        await Stream.SaveCheckpointAsync("audit", 3, Ct);

        Assert.Equal(9, await Stream.GetCheckpointAsync("search-sync", Ct));
        Assert.Equal(3, await Stream.GetCheckpointAsync("audit", Ct));
    }

    [Fact]
    public async Task Items_changes_and_checkpoints_survive_reopening_the_store()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE", "v1"), cancellationToken: Ct);
        await Table.DeleteAsync(new ItemKey("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        var kept = await Table.PutAsync(NewItem("ARTIST#2", "PROFILE") with { Gsi3 = new("INSTAGRAM#ada", "PROFILE") }, cancellationToken: Ct);
        var records = await Stream.ReadAsync(0, 100, Ct);
        await Stream.SaveCheckpointAsync("search-sync", records[1].Sequence, Ct);

        await CloseAsync();
        (Table, Stream) = await OpenAsync(Clock);

        Assert.Equal(kept, await Table.GetAsync(kept.Key, Ct));
        Assert.Equal(records, await Stream.ReadAsync(0, 100, Ct));
        Assert.Equal(records[1].Sequence, await Stream.GetCheckpointAsync("search-sync", Ct));
        var recreated = await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);
        Assert.True(recreated.Version > 1, "the version history of a deleted key survives reopening");
        Assert.True(await Stream.GetLatestSequenceAsync(Ct) > records[^1].Sequence);
    }

    [Fact]
    public async Task Waiting_returns_at_once_when_a_newer_change_exists()
    {
        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);

        // The fake clock never moves here, so only the existing change can end the wait.
        await Stream.WaitForChangesAsync(0, TimeSpan.FromHours(1), Ct).Promptly();
    }

    [Fact]
    public async Task Waiting_wakes_up_when_a_change_commits()
    {
        var latest = await Stream.GetLatestSequenceAsync(Ct);
        var wait = Stream.WaitForChangesAsync(latest, TimeSpan.FromHours(1), Ct);
        Assert.False(wait.IsCompleted);

        await Table.PutAsync(NewItem("ARTIST#1", "PROFILE"), cancellationToken: Ct);

        await wait.Promptly();
        Assert.NotEmpty(await Stream.ReadAsync(latest, 10, Ct));
    }

    [Fact]
    public async Task Waiting_without_a_change_ends_when_the_timeout_passes_on_the_clock()
    {
        var wait = Stream.WaitForChangesAsync(0, TimeSpan.FromSeconds(10), Ct);
        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);

        Clock.Advance(TimeSpan.FromSeconds(1));

        await wait.Promptly();
        Assert.Empty(await Stream.ReadAsync(0, 10, Ct));
    }

    [Fact]
    public async Task Cancelling_a_wait_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var wait = Stream.WaitForChangesAsync(0, TimeSpan.FromHours(1), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.Promptly());
    }
}
