using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace TattooDirectory.Bench.Soak;

/// <summary>
/// The writes running beside the reads, from two writers at once: a requester submitting removal
/// requests, and an operator deciding them (one in four removals approved, which purges the
/// artist from store, index and blobs), rebuilding the index every few minutes and starting
/// aggregation runs against the demo web (scrape jobs writing artists and images).
/// </summary>
internal sealed class SoakWrites(SoakDriver driver, SoakMix mix, SoakPlan plan, IReadOnlyList<string> cities)
{
    private readonly ConcurrentQueue<(string RequestId, bool Approve)> _undecided = new();
    private readonly ConcurrentDictionary<string, int> _done = new(StringComparer.Ordinal);

    /// <summary>Acknowledged writes by kind.</summary>
    public IReadOnlyDictionary<string, int> Done => new SortedDictionary<string, int>(_done, StringComparer.Ordinal);

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(RequesterAsync(ct), OperatorAsync(ct));

    private async Task RequesterAsync(CancellationToken ct)
    {
        var random = new Random(11);
        while (await TickAsync(ct))
        {
            if (mix.NextRemovable() is not { } artistId) continue;
            var removal = random.NextDouble() < 0.85;
            var answer = await driver.SendAsync(new SoakRequest("removal submit", HttpMethod.Post, "/v1/removal-requests", new
            {
                fullName = "Soak Requester",
                email = "soak@example.org",
                artistId,
                requestType = removal ? "profile-removal" : "incorrect-info",
                details = "Soak run: please act on this listing.",
            }, HttpStatusCode.Accepted), write: true);
            if (answer is null) continue;
            Count("removal submit");
            _undecided.Enqueue((answer.Read<Accepted>().RequestId, Approve: random.NextDouble() < 0.25));
        }
    }

    private async Task OperatorAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var nextReindex = plan.ReindexEvery;
        var runs = 0;
        while (await TickAsync(ct))
        {
            if (runs < plan.Runs && clock.Elapsed >= plan.RunEvery * runs)
            {
                runs++;
                await WriteAsync("aggregation run", HttpMethod.Post, "/v1/admin/aggregation-runs", new { cities }, HttpStatusCode.Accepted);
            }
            else if (clock.Elapsed >= nextReindex)
            {
                nextReindex += plan.ReindexEvery;
                // 409: the previous one is still running, which is an answer, not a failure.
                await WriteAsync("reindex", HttpMethod.Post, "/v1/admin/reindex", null, HttpStatusCode.Accepted, HttpStatusCode.Conflict);
            }
            else if (_undecided.TryDequeue(out var request))
            {
                var verb = request.Approve ? "approve" : "reject";
                await WriteAsync($"removal {verb}", HttpMethod.Post, $"/v1/admin/removal-requests/{request.RequestId}/{verb}", new { note = "soak" }, HttpStatusCode.OK, HttpStatusCode.Accepted);
            }
        }
    }

    private async Task WriteAsync(string kind, HttpMethod method, string path, object? body, params HttpStatusCode[] expected)
    {
        if (await driver.SendAsync(new SoakRequest(kind, method, path, body, expected), write: true) is not null) Count(kind);
    }

    private void Count(string kind) => _done.AddOrUpdate(kind, 1, (_, n) => n + 1);

    private async Task<bool> TickAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(plan.WriteInterval, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record Accepted(string RequestId);
}
