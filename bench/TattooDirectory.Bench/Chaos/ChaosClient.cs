using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TattooDirectory.Bench.Chaos;

/// <summary>An answer from the app: its status and body. Null from <see cref="ChaosClient"/> means no answer at all (the app was down or died mid-request).</summary>
internal sealed record Answer(HttpStatusCode Status, string Body)
{
    public bool Is(params HttpStatusCode[] codes) => codes.Contains(Status);

    public T Read<T>() => JsonSerializer.Deserialize<T>(Body, JsonSerializerOptions.Web) ?? throw new JsonException($"Empty answer: {Body}");
}

/// <summary>The operator's HTTP client for one port the app comes back on after every restart.</summary>
internal sealed class ChaosClient(Uri baseAddress, string token) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(10),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public Task<Answer?> GetAsync(string path, CancellationToken ct) => SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);

    public Task<Answer?> PostAsync(string path, object? body, CancellationToken ct) => SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path)
    {
        Content = body is null ? null : JsonContent.Create(body),
    }, ct);

    /// <summary>A GET that must answer 200 (the settled app); anything else is an exception naming the path.</summary>
    public async Task<T> RequireAsync<T>(string path, CancellationToken ct)
    {
        var answer = await GetAsync(path, ct) ?? throw new InvalidOperationException($"GET {path}: no answer.");
        return answer.Status == HttpStatusCode.OK ? answer.Read<T>() : throw new InvalidOperationException($"GET {path} answered {(int)answer.Status}: {Trim(answer.Body)}");
    }

    private async Task<Answer?> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        try
        {
            using var message = request();
            using var response = await _http.SendAsync(message, ct);
            return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    public static string Trim(string body) => body.Length <= 300 ? body : body[..300] + "…";

    public void Dispose() => _http.Dispose();
}
