using System.Globalization;
using System.Net;

namespace TattooDirectory.Bench.Chaos;

/// <summary>
/// The mixed load, running across every life of the app: searches (which tell the harness which
/// artists exist), removal requests, their approval or rejection, aggregation runs and reindexes.
/// Only what the app answered with success goes in the ledger; a request the kill cut off is
/// counted as unanswered and never retried as a different operation.
/// </summary>
internal sealed class ChaosLoad(ChaosClient api, ChaosLedger ledger, ChaosPlan plan)
{
    public Task RunAsync(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, plan.Workers).Select(i => WorkAsync(new Random(plan.Seed * 31 + i), ct)));

    private async Task WorkAsync(Random random, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var roll = random.NextDouble();
                var answered = roll switch
                {
                    < 0.35 => await BrowseAsync(random, ct),
                    < 0.60 => await SubmitAsync(random, ct),
                    < 0.90 => await DecideAsync(random, ct),
                    < 0.96 => await StartRunAsync(ct),
                    _ => await ReindexAsync(ct),
                };
                // While the app is down, knock gently; while it is up, keep it busy.
                await Task.Delay(answered ? random.Next(5, 40) : 100, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task<bool> BrowseAsync(Random random, CancellationToken ct)
    {
        var page = random.Next(1, 9);
        var answer = await api.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/artists?sort=name&limit=50&page={page}"), ct);
        if (!Answered("search", answer, HttpStatusCode.OK)) return answer is not null;
        ledger.Served(answer!.Read<SearchPage>().Items.Select(i => i.ArtistId));
        ledger.Ack("search (read)");
        return true;
    }

    private async Task<bool> SubmitAsync(Random random, CancellationToken ct)
    {
        if (ledger.Requests.Count >= plan.MaxRequests) return await BrowseAsync(random, ct);
        if (ledger.FreeTarget(random) is not { } artistId) return await BrowseAsync(random, ct);
        var type = random.NextDouble() < 0.85 ? "profile-removal" : "incorrect-info";
        var answer = await api.PostAsync("/v1/removal-requests", new
        {
            fullName = "Chaos Requester",
            email = "chaos@example.org",
            artistId,
            requestType = type,
            details = "Chaos run: please act on this listing.",
        }, ct);
        if (!Answered("removal-submit", answer, HttpStatusCode.Accepted))
        {
            // Refused outright: nothing was stored, so the artist may be asked about again.
            if (answer is not null) ledger.Release(artistId);
            return answer is not null;
        }

        var accepted = answer!.Read<Accepted>();
        ledger.Submitted(new AckedRequest(accepted.RequestId, artistId, type, Approve: random.NextDouble() < 0.75));
        return true;
    }

    private async Task<bool> DecideAsync(Random random, CancellationToken ct)
    {
        if (ledger.Undecided(random) is not { } request) return await BrowseAsync(random, ct);
        var verb = request.Approve ? "approve" : "reject";
        var answer = await api.PostAsync($"/v1/admin/removal-requests/{request.RequestId}/{verb}", new { note = "chaos" }, ct);
        // 409: an earlier try of this same decision committed but its answer was cut off.
        if (!Answered($"removal-{verb}", answer, HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.Conflict)) return answer is not null;
        ledger.Decided(request);
        return true;
    }

    private async Task<bool> StartRunAsync(CancellationToken ct)
    {
        if (!plan.WantsRun(ledger.RunCount)) return true;
        var answer = await api.PostAsync("/v1/admin/aggregation-runs", new { cities = plan.Cities }, ct);
        if (!Answered("aggregation-run", answer, HttpStatusCode.Accepted)) return answer is not null;
        ledger.RunStarted(answer!.Read<StartedRun>().RunId);
        return true;
    }

    private async Task<bool> ReindexAsync(CancellationToken ct)
    {
        var answer = await api.PostAsync("/v1/admin/reindex", null, ct);
        if (!Answered("reindex", answer, HttpStatusCode.Accepted, HttpStatusCode.Conflict)) return answer is not null;
        ledger.Ack("reindex");
        return true;
    }

    /// <summary>True when the answer is one of the expected codes; otherwise records it as unanswered or refused.</summary>
    private bool Answered(string kind, Answer? answer, params HttpStatusCode[] expected)
    {
        if (answer is null)
        {
            ledger.NoAnswer(kind);
            return false;
        }

        if (answer.Is(expected)) return true;
        ledger.Refused(kind, answer.Status, answer.Body);
        return false;
    }

    private sealed record SearchPage(List<SearchItem> Items);

    private sealed record SearchItem(string ArtistId);

    private sealed record Accepted(string RequestId);

    private sealed record StartedRun(string RunId);
}
