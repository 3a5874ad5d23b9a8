using Microsoft.Data.Sqlite;
using TattooDirectory.Backends.Local.Queues;
using TattooDirectory.Tests.Contracts;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Backends.Local;

public sealed class SqliteQueueTests : QueueContract<SqliteQueues>
{
    private readonly TempDirectory _directory = new();
    private SqliteQueues? _queues;

    private string DatabasePath => _directory.Combine(SqliteQueues.FileName);

    protected override ValueTask<SqliteQueues> OpenAsync(TimeProvider timeProvider) =>
        ValueTask.FromResult(_queues = new SqliteQueues(DatabasePath, timeProvider));

    protected override ValueTask CloseAsync()
    {
        _queues?.Dispose();
        _queues = null;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public void The_queue_file_is_written_ahead_so_a_commit_survives_a_crash()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Closing_the_queues_ends_a_long_poll_in_progress()
    {
        var poll = Queue.ReceiveAsync(1, TimeSpan.FromSeconds(20), cancellationToken: Ct);
        Assert.False(poll.IsCompleted);

        await CloseAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Promptly(poll));
    }

    [Fact]
    public async Task Every_named_queue_lives_in_the_one_file()
    {
        await Queues.Get("other-queue", Settings).SendBatchAsync([new("theirs")], Ct);
        await SendAsync("ours");

        await CloseAsync();
        var reopened = await OpenAsync(Clock);

        Assert.Equal(1, (await reopened.Get("other-queue", Settings).GetStatsAsync(Ct)).Visible);
        Assert.Equal(1, (await reopened.Get(QueueName, Settings).GetStatsAsync(Ct)).Visible);
        Assert.Equal([SqliteQueues.FileName], Directory.GetFiles(_directory.Path, "*.db").Select(Path.GetFileName));
    }
}
