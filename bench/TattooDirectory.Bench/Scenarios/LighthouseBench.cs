using System.Diagnostics;
using System.Text.Json;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// B9: Lighthouse (npm, mobile preset with its simulated throttling) driving Debian's Chromium
/// against the app built beside the harness, on loopback, with no map tiles so nothing leaves the machine.
/// Reports the four category scores per page, the median over several runs (single Lighthouse
/// runs wobble by a few points), plus the metrics and the audits that cost points.
/// </summary>
public static class LighthouseBench
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeFlags = "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync";
    private const string Goal = "performance ≥ 95, accessibility 100, best practices ≥ 95, SEO ≥ 95";

    private static readonly (string Id, string Label, double Minimum)[] Categories =
    [
        ("performance", "performance", 95), ("accessibility", "accessibility", 100), ("best-practices", "best practices", 95), ("seo", "SEO", 95),
    ];

    private static readonly string[] MetricAudits = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];

    private sealed record Run(Dictionary<string, double> Scores, Dictionary<string, double> Metrics, List<string> LostPoints);

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var cli = Path.Combine(Paths.RepositoryRoot, "bench", "node_modules", "lighthouse", "cli", "index.js");
        if (!File.Exists(Chromium)) return [NotRun("Chromium is not installed (apt-get install chromium)")];
        if (!File.Exists(cli))
        {
            // Installed on first use rather than at build, so `dotnet test` (which builds the
            // harness) never pays for Lighthouse's hundred-odd packages.
            var (exit, log) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], null, TimeSpan.FromMinutes(5), ct, Path.Combine(Paths.RepositoryRoot, "bench"));
            if (exit != 0 || !File.Exists(cli)) return [NotRun($"Could not install Lighthouse with npm ci in bench/: {log}")];
        }

        var work = Paths.NewTemp("b9");
        try
        {
            var port = AppProcess.FreePort();
            await using var app = AppProcess.Start(port, Path.Combine(work.FullName, "data"), ["--Map:TileUrl="]);
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await app.WaitUntilSearchableAsync(http, "/v1/artists?styles=blackwork", ct);
            string[] pages = ["/", "/artists?styles=blackwork", $"/artists/{await ProfileWithGalleryAsync(http, ct)}"];
            foreach (var page in pages) await WarmUpAsync(http, page, ct);

            var results = new List<ScenarioResult>();
            foreach (var page in pages)
            {
                var runs = new List<Run>();
                for (var i = 0; i < (settings.Quick ? 1 : 3); i++) runs.Add(await LighthouseAsync(cli, new Uri(app.BaseAddress, page), Path.Combine(work.FullName, $"report-{results.Count}-{i}.json"), ct));
                results.Add(Summarise(page, runs));
            }
            return results;
        }
        finally
        {
            Paths.TryDelete(work.FullName);
        }
    }

    private static ScenarioResult NotRun(string reason) =>
        new("B9", "Lighthouse (mobile) on /, a search and a profile", Goal, false, $"not run: {reason}", new Dictionary<string, object>());

    private static ScenarioResult Summarise(string page, List<Run> runs)
    {
        var median = Categories.ToDictionary(c => c.Id, c => Stats.Of([.. runs.Select(r => r.Scores[c.Id])]).P50);
        var met = Categories.All(c => median[c.Id] >= c.Minimum);
        var summary = string.Join(" · ", Categories.Select(c => $"{c.Label} {median[c.Id]:F0}")) + (runs.Count > 1 ? $" (median of {runs.Count} runs)" : " (1 run)");
        var metrics = MetricAudits
            .Where(m => runs.Any(r => r.Metrics.ContainsKey(m)))
            .ToDictionary(m => m, m => Stats.Of([.. runs.Where(r => r.Metrics.ContainsKey(m)).Select(r => r.Metrics[m])]).P50);
        return new ScenarioResult("B9", $"Lighthouse (mobile) {page}", Goal, met, summary, new Dictionary<string, object>
        {
            ["scores"] = median,
            ["scoresPerRun"] = runs.Select(r => r.Scores).ToList(),
            ["metricsMedian"] = metrics,
            ["auditsBelowFullScore"] = runs.SelectMany(r => r.LostPoints).Distinct().Order(StringComparer.Ordinal).ToList(),
        });
    }

    /// <summary>The best-rated blackwork artist with a portfolio, so the profile audited has a gallery and a map.</summary>
    private static async Task<string> ProfileWithGalleryAsync(HttpClient http, CancellationToken ct)
    {
        using var search = JsonDocument.Parse(await http.GetStringAsync("/v1/artists?styles=blackwork&limit=20", ct));
        foreach (var item in search.RootElement.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("artistId").GetString()!;
            using var profile = JsonDocument.Parse(await http.GetStringAsync($"/v1/artists/{id}", ct));
            if (profile.RootElement.GetProperty("portfolioImages").GetArrayLength() > 0) return id;
        }
        throw new InvalidOperationException("No blackwork artist in the seed data has portfolio images.");
    }

    /// <summary>A few requests first, so the audit times rendering rather than the first request's JIT compilation.</summary>
    private static async Task WarmUpAsync(HttpClient http, string page, CancellationToken ct)
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(page, ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {page} answered {(int)response.StatusCode}; B9 needs the web pages.");
        }
    }

    private static async Task<Run> LighthouseAsync(string cli, Uri url, string reportPath, CancellationToken ct)
    {
        // The mobile preset is Lighthouse's default; the flags keep Chromium from calling home.
        string[] arguments = [cli, url.ToString(), "--output=json", $"--output-path={reportPath}", "--quiet", $"--chrome-flags={ChromeFlags}",
            $"--only-categories={string.Join(',', Categories.Select(c => c.Id))}"];
        var (exit, log) = await ExecAsync("node", arguments, new Dictionary<string, string> { ["CHROME_PATH"] = Chromium }, TimeSpan.FromMinutes(3), ct);
        if (exit != 0 || !File.Exists(reportPath)) throw new InvalidOperationException($"Lighthouse failed on {url} ({exit}):\n{log}");

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(reportPath, ct));
        var root = report.RootElement;
        if (root.TryGetProperty("runtimeError", out var error)) throw new InvalidOperationException($"Lighthouse could not audit {url}: {error}");
        var audits = root.GetProperty("audits");
        var scores = new Dictionary<string, double>();
        var lost = new List<string>();
        foreach (var (id, _, _) in Categories)
        {
            var category = root.GetProperty("categories").GetProperty(id);
            if (category.GetProperty("score") is not { ValueKind: JsonValueKind.Number } categoryScore) throw new InvalidOperationException($"Lighthouse gave no {id} score for {url}.");
            scores[id] = Math.Round(categoryScore.GetDouble() * 100);
            foreach (var reference in category.GetProperty("auditRefs").EnumerateArray())
            {
                if (reference.GetProperty("weight").GetDouble() <= 0) continue;
                var audit = audits.GetProperty(reference.GetProperty("id").GetString()!);
                if (audit.GetProperty("score") is { ValueKind: JsonValueKind.Number } score && score.GetDouble() < 1) lost.Add($"{id}/{audit.GetProperty("id").GetString()}");
            }
        }
        var metrics = MetricAudits
            .Where(m => audits.TryGetProperty(m, out var audit) && audit.TryGetProperty("numericValue", out _))
            .ToDictionary(m => m, m => audits.GetProperty(m).GetProperty("numericValue").GetDouble());
        return new Run(scores, metrics, lost);
    }

    private static async Task<(int ExitCode, string Log)> ExecAsync(string file, IEnumerable<string> arguments, Dictionary<string, string>? environment, TimeSpan timeout, CancellationToken ct, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout.TotalMinutes:F0} min.");
        }
        var log = (await stdout + await stderr).Trim();
        return (process.ExitCode, log.Length > 4000 ? log[^4000..] : log);
    }
}
