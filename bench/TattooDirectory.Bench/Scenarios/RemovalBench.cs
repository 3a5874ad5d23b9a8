using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// B10 (issue 4): an operator approves a removal over HTTP → how long until the profile answers
/// 404, and until the requester's confirmation is in the mailbox. The real app as a child process
/// on the seeded dataset; removals one after another, each timed from the approve response.
/// </summary>
public static class RemovalBench
{
    private const string Token = "bench-operator-token-0123456789";

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var data = Paths.NewTemp("b10");
        try
        {
            var port = AppProcess.FreePort();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await using var app = AppProcess.Start(port, data.FullName, [$"--Admin:Token={Token}", "--RateLimits:RemovalRequestsPerHour=100000", "--RateLimits:SearchPerMinute=100000"]);
            await app.WaitUntilSearchableAsync(http, "/v1/artists?location=Leeds", ct);

            var count = settings.Quick ? 5 : 25;
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/v1/artists?limit={count}&sort=name", ct));
            var victims = page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("artistId").GetString()!).ToList();
            var toNotFound = new List<double>();
            var toConfirmation = new List<double>();
            foreach (var artistId in victims)
            {
                using var submitted = await http.PostAsJsonAsync("/v1/removal-requests", new { fullName = "Bench Requester", email = "bench@example.org", artistId, requestType = "profile-removal" }, ct);
                submitted.EnsureSuccessStatusCode();
                var requestId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("requestId").GetString()!;

                using var approved = await http.PostAsJsonAsync($"/v1/admin/removal-requests/{requestId}/approve", new { note = "bench" }, ct);
                approved.EnsureSuccessStatusCode();
                var start = Stopwatch.GetTimestamp();
                await UntilAsync(async () => (await http.GetAsync($"/v1/artists/{artistId}", ct)).StatusCode == HttpStatusCode.NotFound, ct);
                toNotFound.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                await UntilAsync(async () => (await http.GetStringAsync("/v1/admin/notifications/mailbox?topic=removal-confirmations&limit=5", ct)).Contains(requestId, StringComparison.Ordinal), ct);
                toConfirmation.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var gone = Stats.Of(toNotFound);
            var confirmed = Stats.Of(toConfirmation);
            return
            [
                new ScenarioResult("B10", "Removal: approve → profile 404 (purge, sync, cache eviction)", "p99 ≤ 1,000 ms", gone.P99 <= 1000,
                    gone.ToString(), new Dictionary<string, object> { ["approveToNotFoundMs"] = gone }),
                new ScenarioResult("B10c", "Removal: approve → confirmation in the requester's mailbox", "p99 ≤ 1,000 ms", confirmed.P99 <= 1000,
                    confirmed.ToString(), new Dictionary<string, object> { ["approveToConfirmationMs"] = confirmed }),
            ];
        }
        finally
        {
            Paths.TryDelete(data.FullName);
        }
    }

    /// <summary>Re-checks every 5 ms; a removal that takes over 30 s counts as a failure of the run.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("A removal did not complete within 30 s.");
            await Task.Delay(5, ct);
        }
    }
}
