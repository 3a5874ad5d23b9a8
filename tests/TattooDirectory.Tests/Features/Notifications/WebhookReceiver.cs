using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TattooDirectory.Tests.Features.Notifications;

/// <summary>One POST as the receiver saw it, with its signature checked the way a subscriber would.</summary>
internal sealed record ReceivedWebhook(string? MessageId, string? Timestamp, bool SignatureValid, JsonElement Body);

/// <summary>
/// A webhook endpoint on loopback Kestrel that checks each request's signature against its own
/// computation of HMAC-SHA256(secret, timestamp + "." + body) and answers the status the test scripts.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(string secret, Func<int, int> statusForTry)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var timestamp = context.Request.Headers["X-Directory-Timestamp"].ToString();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));
            var valid = context.Request.Headers["X-Directory-Signature"].ToString() == expected;
            _received.Enqueue(new ReceivedWebhook(context.Request.Headers["X-Directory-Message-Id"], timestamp, valid, JsonDocument.Parse(body).RootElement.Clone()));
            return Results.StatusCode(statusForTry(_received.Count));
        });
    }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    /// <summary>Starts a receiver; <paramref name="statusForTry"/> maps the 1-based request count to the status to answer.</summary>
    public static async Task<WebhookReceiver> StartAsync(string secret, Func<int, int> statusForTry)
    {
        var receiver = new WebhookReceiver(secret, statusForTry);
        await receiver._app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
