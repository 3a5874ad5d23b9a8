using System.Globalization;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Aggregation.Run;

namespace TattooDirectory.Tests.Features.Aggregation.Run;

/// <summary>QueueScraping: the denylist filter, batches of 10, and a retried step that sends nothing twice.</summary>
public sealed class QueueScrapingTests(DemoWebFixture demo) : IClassFixture<DemoWebFixture>
{
    private const string RunId = "run-queue-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ArtistCandidate Candidate(int i) =>
        new(RunId, "studio-q", new Uri($"https://studio.test/artists/a{i.ToString(CultureInfo.InvariantCulture)}"), $"Artist Number{i}", $"handle_{i}");

    private static async Task PlantAsync(AggregationRig rig, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var candidate = Candidate(i);
            await rig.Backend.Table.PutAsync(RunRecords.CandidateItem(new CandidateRecord(candidate, RunRecords.ScrapeIdFor(RunId, candidate.ProfileUrl))), cancellationToken: Ct);
        }
    }

    private static async Task<List<ScrapeJob>> ReceiveAllAsync(IQueue queue)
    {
        var jobs = new List<ScrapeJob>();
        while (await queue.ReceiveAsync(10, TimeSpan.Zero, cancellationToken: Ct) is { Count: > 0 } messages) jobs.AddRange(messages.Select(m => RunRecords.ReadJob(m.Body)));
        return jobs;
    }

    [Fact]
    public async Task Candidates_go_out_in_batches_of_ten_as_jobs_with_a_scrape_id_each_and_a_denylisted_handle_stays_behind()
    {
        await using var rig = new AggregationRig(demo.Web);
        await PlantAsync(rig, 24);
        await rig.Backend.Table.TransactWriteAsync([Denylist.Entry(rig.Backend.Denylist.Hasher.Instagram("@Handle_7"), "removal-1", rig.Backend.Time.GetUtcNow())], Ct);
        var recording = new RecordingQueues(rig.Queues);
        var task = new QueueScrapingTask(recording, rig.Backend.Table, rig.Backend.Denylist, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueScrapingTask>.Instance);

        var result = await task.InvokeAsync(new JsonObject { ["runId"] = RunId, ["studios"] = new JsonArray() }, Ct);

        Assert.Equal([10, 10, 3], recording.Batches);
        Assert.Equal(23, result!["queued"]!.GetValue<int>());
        Assert.Equal(1, result["skipped"]!.GetValue<int>());
        var jobs = await ReceiveAllAsync(rig.ScrapeQueue);
        Assert.Equal(23, jobs.Count);
        Assert.DoesNotContain(jobs, j => j.InstagramHandle == "handle_7");
        Assert.All(jobs, j => Assert.Equal(AggregationNames.ScrapeIdFor(RunId, j.ProfileUrl), j.ScrapeId));
        Assert.All(jobs, j => Assert.Equal(RunId, j.RunId));
    }

    [Fact]
    public void Jobs_take_one_artist_from_each_site_in_turn_so_workers_spread_over_sites()
    {
        static CandidateRecord At(string site, string artist)
        {
            var candidate = new ArtistCandidate(RunId, "studio-" + site, new Uri($"https://{site}.test/artists/{artist}"), null, null);
            return new CandidateRecord(candidate, RunRecords.ScrapeIdFor(RunId, candidate.ProfileUrl));
        }

        CandidateRecord[] found = [At("a", "1"), At("a", "2"), At("a", "3"), At("b", "1"), At("c", "1"), At("c", "2")];

        var order = QueueScrapingTask.AcrossSites(found).Select(r => r.Candidate.ProfileUrl.Host + r.Candidate.ProfileUrl.AbsolutePath[^2..]);

        Assert.Equal(["a.test/1", "b.test/1", "c.test/1", "a.test/2", "c.test/2", "a.test/3"], order);
    }

    [Fact]
    public async Task A_retried_step_sends_only_what_was_not_sent()
    {
        await using var rig = new AggregationRig(demo.Web);
        await PlantAsync(rig, 12);
        var payload = new JsonObject { ["runId"] = RunId, ["studios"] = new JsonArray() };
        await rig.InvokeAsync(QueueScrapingTask.TaskName, payload);
        var first = await ReceiveAllAsync(rig.ScrapeQueue);
        var late = Candidate(99);
        await rig.Backend.Table.PutAsync(RunRecords.CandidateItem(new CandidateRecord(late, RunRecords.ScrapeIdFor(RunId, late.ProfileUrl))), cancellationToken: Ct);

        var again = await rig.InvokeAsync(QueueScrapingTask.TaskName, payload);

        Assert.Equal(12, first.Count);
        Assert.Equal(13, again!["queued"]!.GetValue<int>());
        Assert.Equal([late.ProfileUrl], (await ReceiveAllAsync(rig.ScrapeQueue)).Select(j => j.ProfileUrl));
    }

    /// <summary>Counts the size of every batch sent, passing everything on to the real queues.</summary>
    private sealed class RecordingQueues(IQueues inner) : IQueues
    {
        public List<int> Batches { get; } = [];

        public IQueue Get(string name, QueueSettings settings) => new Recording(inner.Get(name, settings), Batches);

        private sealed class Recording(IQueue queue, List<int> batches) : IQueue
        {
            public string Name => queue.Name;
            public QueueSettings Settings => queue.Settings;

            public Task<SendBatchResult> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
            {
                batches.Add(messages.Count);
                return queue.SendBatchAsync(messages, cancellationToken);
            }

            public Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default) =>
                queue.ReceiveAsync(maxMessages, waitTime, visibilityTimeout, cancellationToken);

            public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken = default) => queue.DeleteAsync(receiptHandle, cancellationToken);

            public Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
                queue.ChangeVisibilityAsync(receiptHandle, visibilityTimeout, cancellationToken);

            public Task<IReadOnlyList<DeadLetterMessage>> PeekDeadLettersAsync(int maxMessages, CancellationToken cancellationToken = default) =>
                queue.PeekDeadLettersAsync(maxMessages, cancellationToken);

            public Task<int> RedriveAsync(CancellationToken cancellationToken = default) => queue.RedriveAsync(cancellationToken);

            public Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default) => queue.GetStatsAsync(cancellationToken);

            public Task PurgeAsync(CancellationToken cancellationToken = default) => queue.PurgeAsync(cancellationToken);
        }
    }
}
