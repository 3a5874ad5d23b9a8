using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>A fixed answer a <see cref="LoopbackSite"/> gives for one path.</summary>
internal sealed record Canned(int Status, string? ContentType, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Canned Text(string body, string contentType = "text/plain") => new(200, contentType, Encoding.UTF8.GetBytes(body));

    public static Canned Html(string body = "<html><body>Studio</body></html>") => Text(body, "text/html; charset=utf-8");

    public static Canned Error(int status, string? retryAfter = null) =>
        new(status, null, [], retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

    public static Canned Redirect(string location, int status = 302) => new(status, null, [], new Dictionary<string, string> { ["Location"] = location });
}

/// <summary>
/// A hostile website on a real loopback Kestrel: canned files, redirect chains and loops, endless
/// and lying bodies, decompression bombs, stalls, and a gate that holds requests to count how
/// many arrive at once. It records every request it sees.
/// </summary>
internal sealed class LoopbackSite : IAsyncDisposable
{
    public const int BombBytes = 32 * 1024 * 1024;
    private const int Chunk = 64 * 1024;

    private static readonly Lazy<byte[]> GzipBomb = new(() => Compress(s => new GZipStream(s, CompressionLevel.Optimal)));
    private static readonly Lazy<byte[]> BrotliBomb = new(() => Compress(s => new BrotliStream(s, CompressionLevel.Fastest)));

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Canned> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, string UserAgent)> _requests = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;

    private LoopbackSite()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            _requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.UserAgent.ToString()));
            await next(context);
        });
        _app.MapGet("/hops/{n:int}", (int n) => n > 0 ? Results.Redirect($"/hops/{n - 1}") : Results.Content("<p>end</p>", "text/html"));
        _app.MapGet("/loop/{side}", (string side) => Results.Redirect(side == "a" ? "/loop/b" : "/loop/a"));
        _app.MapGet("/redirect", (string to) => Results.Redirect(to));
        _app.MapGet("/ua", (HttpContext c) => Results.Content($"<p>{c.Request.Headers.UserAgent}</p>", "text/html"));
        _app.MapGet("/endless", (HttpContext c) => StreamForeverAsync(c, declaredLength: null));
        _app.MapGet("/huge-declared", (HttpContext c) => StreamForeverAsync(c, declaredLength: 1L << 30));
        _app.MapGet("/bomb/gzip", (HttpContext c) => SendEncodedAsync(c, "gzip", GzipBomb.Value, "text/html"));
        _app.MapGet("/bomb/br", (HttpContext c) => SendEncodedAsync(c, "br", BrotliBomb.Value, "image/png"));
        _app.MapGet("/stall-body", (HttpContext c) => StallAsync(c, sendHeaders: true));
        _app.MapGet("/stall-headers", (HttpContext c) => StallAsync(c, sendHeaders: false));
        _app.MapGet("/gate/{id}", GateAsync);
        _app.Map("{**path}", ServeFileAsync);
    }

    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    public string HostPort => $"127.0.0.1:{Port}";

    public IReadOnlyList<string> Paths => [.. _requests.Select(r => r.Path)];

    public IReadOnlyList<string> UserAgents => [.. _requests.Select(r => r.UserAgent)];

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Completes when a streaming or stalling endpoint has stopped (the client went away).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a stalling endpoint has sent what it will send and started to hang.</summary>
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<LoopbackSite> StartAsync()
    {
        var site = new LoopbackSite();
        await site._app.StartAsync(TestContext.Current.CancellationToken);
        return site;
    }

    public Uri Url(string pathAndQuery) => new($"http://{HostPort}{pathAndQuery}");

    /// <summary>A URL on this site that redirects (302) to <paramref name="target"/>.</summary>
    public Uri RedirectTo(string target) => Url("/redirect?to=" + Uri.EscapeDataString(target));

    public Uri Named(string host, string pathAndQuery) => new($"http://{host}:{Port}{pathAndQuery}");

    public void Serve(string path, Canned answer) => _files[path] = answer;

    public int Count(string path) => _requests.Count(r => r.Path == path);

    public void OpenGate() => _gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        OpenGate();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeFileAsync(HttpContext context)
    {
        if (!_files.TryGetValue(context.Request.Path.Value ?? "/", out var answer))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.ContentType is not null) context.Response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    private async Task StreamForeverAsync(HttpContext context, long? declaredLength)
    {
        context.Response.ContentType = "text/html";
        context.Response.ContentLength = declaredLength;
        var chunk = new byte[Chunk];
        chunk.AsSpan().Fill((byte)'a');
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client hung up: the point of the exercise.
        }
        finally
        {
            Finished.TrySetResult();
        }
    }

    private static async Task SendEncodedAsync(HttpContext context, string encoding, byte[] body, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.ContentEncoding = encoding;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private async Task StallAsync(HttpContext context, bool sendHeaders)
    {
        try
        {
            if (sendHeaders)
            {
                context.Response.ContentType = "text/html";
                await context.Response.Body.WriteAsync("<html><body>"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            Stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up waiting.
        }
        finally
        {
            Finished.TrySetResult();
        }
    }

    private async Task<IResult> GateAsync(string id)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            await _gate.Task;
            return Results.Json(new { id });
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static byte[] Compress(Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
        {
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < BombBytes; written += zeros.Length) compressing.Write(zeros);
        }

        return output.ToArray();
    }
}
