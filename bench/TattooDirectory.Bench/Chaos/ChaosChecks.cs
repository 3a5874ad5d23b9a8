using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using TattooDirectory.Backends.Local;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Bench.Chaos;

/// <summary>One invariant: its name, how many things it looked at, and what broke it (empty when it held).</summary>
internal sealed record Invariant(string Name, int Checked, IReadOnlyList<string> Violations)
{
    public bool Held => Violations.Count == 0;
}

/// <summary>A removal request as the admin list shows it.</summary>
internal sealed record RequestSummary(string RequestId, string Type, string Status, string? MatchedArtistId);

/// <summary>
/// The invariants of R1, checked after the last restart: first over HTTP against the settled app
/// (requests, purges and their audits, runs), then on the data directory once the app has stopped
/// (index against store, notifications, scrape jobs), where nothing moves under the comparison.
/// </summary>
internal sealed class ChaosChecks(ChaosClient api, ChaosLedger ledger, ChaosPlan plan)
{
    private static readonly string[] Statuses = ["pending", "approved", "completed", "rejected"];
    private readonly List<Invariant> _results = [];
    private List<RequestSummary> _requests = [];
    private List<string> _runs = [];

    public IReadOnlyList<Invariant> Results => _results;

    public async Task OnlineAsync(CancellationToken ct)
    {
        _requests = await AllRequestsAsync(ct);
        _runs = [.. (await api.RequireAsync<RunList>("/v1/admin/aggregation-runs?limit=1000", ct)).Items.Select(r => r.RunId)];
        var byId = _requests.ToDictionary(r => r.RequestId, StringComparer.Ordinal);

        var lost = new List<string>();
        var acked = ledger.Requests;
        foreach (var request in acked)
        {
            if (!byId.TryGetValue(request.RequestId, out var found)) lost.Add($"acknowledged removal request {request.RequestId} is gone");
            else if (request.DecisionAcked && found.Status != (request.Approve ? "completed" : "rejected"))
            {
                lost.Add($"request {request.RequestId} was acknowledged as {(request.Approve ? "approved" : "rejected")} but is {found.Status}");
            }
        }
        Add("Every acknowledged removal request and decision is present", acked.Count + acked.Count(r => r.DecisionAcked), lost);

        var stuck = _requests.Where(r => r.Status == "approved").Select(r => $"request {r.RequestId} is still approved (its purge never finished)").ToList();
        var traces = new List<string>();
        var purged = _requests.Where(r => r.Status == "completed" && r.Type == "profile-removal").ToList();
        foreach (var request in purged)
        {
            var audit = await api.RequireAsync<AuditDto>($"/v1/admin/removal-requests/{request.RequestId}/audit", ct);
            if (!audit.Clean) traces.Add($"request {request.RequestId}: {audit.Traces.Count} trace(s), first {audit.Traces[0].Location} {audit.Traces[0].Key}");
            if (request.MatchedArtistId is { } artist && (await api.GetAsync($"/v1/artists/{artist}", ct))?.Status != HttpStatusCode.NotFound)
            {
                traces.Add($"request {request.RequestId}: artist {artist} still answers");
            }
        }
        Add("Every approved removal completed with no trace (audit clean, profile 404)", _requests.Count(r => r.Status is "approved" or "completed"), [.. stuck, .. traces]);

        var runProblems = new List<string>();
        foreach (var runId in ledger.Runs)
        {
            var answer = await api.GetAsync($"/v1/admin/aggregation-runs/{runId}", ct);
            if (answer?.Status != HttpStatusCode.OK) runProblems.Add($"acknowledged run {runId} answers {(int?)answer?.Status}");
            else if (plan.RequireDrained && answer.Read<RunDetail>().Run.Status != "SUCCEEDED") runProblems.Add($"run {runId} ended {answer.Read<RunDetail>().Run.Status}");
        }
        Add(plan.RequireDrained ? "Every acknowledged aggregation run is present and SUCCEEDED" : "Every acknowledged aggregation run is present", ledger.Runs.Count, runProblems);
    }

    public async Task OfflineAsync(string dataDirectory, CancellationToken ct)
    {
        using var stores = new LocalStores(dataDirectory, TimeProvider.System);
        var store = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var item in stores.Store.ScanAsync(Keys.ArtistPrefix, ct))
        {
            if (item.Sk == Keys.Profile) store[Keys.ArtistIdOf(item.Pk)!] = item.Version;
        }

        var index = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var (id, version) in stores.Index.ListAsync(ct)) index[id] = version;
        var differences = store.Where(s => !index.TryGetValue(s.Key, out var v) || v != s.Value)
            .Select(s => $"{s.Key}: store v{s.Value}, index {(index.TryGetValue(s.Key, out var v) ? "v" + v.ToString(CultureInfo.InvariantCulture) : "missing")}")
            .Concat(index.Keys.Where(id => !store.ContainsKey(id)).Select(id => $"{id}: in the index only"))
            .ToList();
        Add("The index equals the store (artist ids and versions)", store.Count, differences);

        var removed = _requests.Where(r => r.Status == "completed" && r.Type == "profile-removal" && r.MatchedArtistId is not null)
            .Select(r => r.MatchedArtistId!).ToHashSet(StringComparer.Ordinal);
        var served = ledger.ServedArtists;
        Add("Every artist the API served is still stored, unless a completed removal took it", served.Count,
            [.. served.Where(id => !store.ContainsKey(id) && !removed.Contains(id)).Select(id => $"artist {id} was served and is gone without a removal")]);

        await CheckNotificationsAsync(stores, ct);
        await CheckJobsAsync(stores, store.Keys.ToHashSet(StringComparer.Ordinal), ct);
    }

    private async Task CheckNotificationsAsync(LocalStores stores, CancellationToken ct)
    {
        var left = new List<string>();
        await foreach (var item in stores.Store.ScanAsync(Keys.OutboxPrefix, ct)) left.Add($"outbox item {item.Pk} was never relayed");

        using var topic = new SqliteTopic(stores.Paths.Notifications, TimeProvider.System);
        var submitted = await topic.MailboxAsync(Topics.RemovalRequests, int.MaxValue, ct);
        var confirmed = await topic.MailboxAsync(Topics.RemovalConfirmations, int.MaxValue, ct);
        var problems = new List<string>(left);
        foreach (var request in _requests)
        {
            var toOperator = submitted.Count(m => m.Message.Subject.Contains(request.RequestId, StringComparison.Ordinal));
            var toRequester = confirmed.Count(m => m.Message.Subject.Contains(request.RequestId, StringComparison.Ordinal));
            var owed = request.Status is "completed" or "rejected" ? 1 : 0;
            if (toOperator != 1) problems.Add($"request {request.RequestId}: {toOperator} review notifications, expected 1");
            if (toRequester != owed) problems.Add($"request {request.RequestId} ({request.Status}): {toRequester} confirmations, expected {owed}");
        }

        problems.AddRange(submitted.Concat(confirmed).GroupBy(m => (m.Topic, m.Message.Subject)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Count()} copies of '{g.Key.Subject}' on {g.Key.Topic}"));
        problems.AddRange((await topic.DeadLettersAsync(100, ct)).Select(d => $"delivery {d.Id} to {d.Subscriber} dead-lettered: {d.LastError}"));
        Add("No notification lost or duplicated (outbox relayed, one message per event, no dead letters)", _requests.Count * 2, problems);
    }

    /// <summary>Every job a run queued is completed (its outcome recorded) or dead-lettered, or in the short run still queued for delivery.</summary>
    private async Task CheckJobsAsync(LocalStores stores, HashSet<string> storedArtists, CancellationToken ct)
    {
        var (dead, pending) = ReadScrapeQueue(stores.Paths.Queues);
        var problems = new List<string>();
        var jobs = 0;
        foreach (var runId in _runs)
        {
            var outcomes = (await RunRecords.OutcomesAsync(stores.Store, runId, ct)).ToDictionary(o => o.ScrapeId, StringComparer.Ordinal);
            foreach (var candidate in await RunRecords.CandidatesAsync(stores.Store, runId, ct))
            {
                if (!candidate.Queued) continue;
                jobs++;
                if (outcomes.TryGetValue(candidate.ScrapeId, out var outcome))
                {
                    // The outcome acknowledges the artist's write: it must have survived every kill since.
                    if (outcome.Kind is ScrapeOutcomeKind.New or ScrapeOutcomeKind.Updated or ScrapeOutcomeKind.Unchanged
                        && outcome.ArtistId is { } artist && !storedArtists.Contains(artist))
                    {
                        problems.Add($"job {candidate.ScrapeId} stored artist {artist} ({outcome.Kind}), which is gone");
                    }
                }
                else if (!dead.Contains(candidate.ScrapeId))
                {
                    if (!pending.Contains(candidate.ScrapeId)) problems.Add($"job {candidate.ScrapeId} of run {runId} has no outcome and is on no queue: lost");
                    else if (plan.RequireDrained) problems.Add($"job {candidate.ScrapeId} is still on the queue after settling");
                }
            }
        }
        Add(plan.RequireDrained ? "Every queued scrape job completed or is in the DLQ" : "Every queued scrape job completed, is in the DLQ or is still queued", jobs, problems);
    }

    /// <summary>The scrape ids on the queue file, dead-lettered or waiting, read straight from SQLite (the app has stopped).</summary>
    private static (HashSet<string> Dead, HashSet<string> Pending) ReadScrapeQueue(string path)
    {
        var dead = new HashSet<string>(StringComparer.Ordinal);
        var pending = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return (dead, pending);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body, dead_at IS NOT NULL FROM queue_messages WHERE queue = $queue";
        command.Parameters.AddWithValue("$queue", AggregationNames.ScrapeQueue);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var scrapeId = RunRecords.ReadJob(reader.GetString(0)).ScrapeId;
            (reader.GetBoolean(1) ? dead : pending).Add(scrapeId);
        }
        return (dead, pending);
    }

    private async Task<List<RequestSummary>> AllRequestsAsync(CancellationToken ct)
    {
        var all = new List<RequestSummary>();
        foreach (var status in Statuses)
        {
            string? cursor = null;
            do
            {
                var path = $"/v1/admin/removal-requests?status={status}&limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
                var page = await api.RequireAsync<RequestList>(path, ct);
                all.AddRange(page.Items);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }
        return all;
    }

    private void Add(string name, int count, IReadOnlyList<string> violations) => _results.Add(new Invariant(name, count, violations));

    private sealed record RequestList(List<RequestSummary> Items, string? NextCursor);

    private sealed record AuditDto(bool Clean, List<TraceDto> Traces);

    private sealed record TraceDto(string Location, string Key);

    private sealed record RunList(List<RunDto> Items);

    private sealed record RunDto(string RunId, string Status);

    private sealed record RunDetail(RunDto Run);
}
