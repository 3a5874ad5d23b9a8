using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Features.Scheduling;

namespace TattooDirectory.Bench.Scenarios;

/// <summary>
/// The real app as a child process on a loopback port, in Production, its output drained so it
/// never blocks on a full pipe (the last lines are kept for a failure report). Disposing kills
/// the whole process tree.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _recent = new();

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the app built beside this harness, with extra <c>--key=value</c> settings.</summary>
    public static AppProcess Start(int port, string dataDirectory, IEnumerable<string>? settings = null)
    {
        var app = BuiltAppDll();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { app, $"--urls=http://127.0.0.1:{port}", $"--Storage:DataDirectory={dataDirectory}", "--Logging:LogLevel:Default=Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(app)!,
        };
        foreach (var setting in settings ?? []) start.ArgumentList.Add(setting);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        var started = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>
    /// Settings for a run that drives the app as an operator under load: the admin token, rate
    /// limits out of the way of one busy client, no scheduled aggregation run, short scrape retry
    /// back-offs, and the demo web as the aggregation's internet.
    /// </summary>
    public static List<string> OperatorArguments(string token, DemoWebServer web) =>
    [
        $"--Admin:Token={token}",
        "--RateLimits:SearchPerMinute=1000000",
        "--RateLimits:RemovalRequestsPerHour=1000000",
        $"--Scheduling:Rules:{SchedulingOptions.AggregationDaily}:Enabled=false",
        "--Aggregation:Scrape:RetryDelay=00:00:05",
        .. web.AppSettings.Select(s => $"--{s.Key}={s.Value}"),
    ];

    /// <summary>The last lines the app wrote (stdout and stderr), oldest first.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_recent) return [.. _recent];
        }
    }

    /// <summary>SIGKILL to the whole tree: no shutdown code runs, as in a power cut or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, the way a service manager stops it, then waits for the graceful shutdown to finish.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using (var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])))
        {
            if (signal is not null) await signal.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app did not stop within {timeout.TotalSeconds:F0} s of SIGTERM.");
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_recent)
        {
            _recent.Enqueue(line);
            if (_recent.Count > KeptLines) _recent.Dequeue();
        }
    }

    /// <summary>Polls a search until it answers 200 with results (seeded and indexed); fails if the app exits or 120 s pass.</summary>
    public async Task WaitUntilSearchableAsync(HttpClient http, string searchPath, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode} before answering.");
            try
            {
                using var response = await http.GetAsync(searchPath, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    if (body.RootElement.GetProperty("total").GetInt32() > 0) return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(5, ct);
        }
        throw new TimeoutException($"The app did not answer {searchPath} with results within 120 s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The app as built beside this harness (same configuration), so the bench measures what users run.</summary>
    private static string BuiltAppDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(Paths.RepositoryRoot, "src", "TattooDirectory", "bin", configuration, "net10.0", "TattooDirectory.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the app first (the harness build does it).", path);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
