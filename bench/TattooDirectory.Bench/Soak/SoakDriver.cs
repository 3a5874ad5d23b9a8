using System.Diagnostics;
using System.Net.Http.Json;
using TattooDirectory.Bench.Chaos;

namespace TattooDirectory.Bench.Soak;

/// <summary>
/// Sends soak requests and records each answer: its latency when it was one the request expects,
/// else an error named by the request's kind and what went wrong. Requests are never cancelled by
/// the end of a phase: a phase stops sending and waits for what it sent (<see cref="DrainAsync"/>),
/// so every request counts.
/// </summary>
internal sealed class SoakDriver(HttpClient http)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public SoakRecorder Recorder { get; set; } = new();

    /// <summary>The answer when it was an expected one; null after recording the error.</summary>
    public async Task<Answer?> SendAsync(SoakRequest request, bool write)
    {
        Interlocked.Increment(ref _inFlight);
        var recorder = Recorder;
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var message = new HttpRequestMessage(request.Method, request.Path) { Content = request.Body is null ? null : JsonContent.Create(request.Body) };
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            if (request.Expected.Contains(response.StatusCode))
            {
                recorder.Answered(Stopwatch.GetElapsedTime(start).TotalMilliseconds, write);
                return new Answer(response.StatusCode, body);
            }
            recorder.Failed($"{request.Kind} {(int)response.StatusCode}", $"{request.Method} {request.Path}: {ChaosClient.Trim(body)}");
        }
        catch (TaskCanceledException)
        {
            recorder.Failed($"{request.Kind} timeout", $"{request.Method} {request.Path}: no answer within {http.Timeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException ex)
        {
            recorder.Failed($"{request.Kind} no answer", $"{request.Method} {request.Path}: {ex.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        return null;
    }

    /// <summary>Waits until every request sent so far has its answer (or its timeout).</summary>
    public async Task DrainAsync()
    {
        while (InFlight > 0) await Task.Delay(20);
    }
}
