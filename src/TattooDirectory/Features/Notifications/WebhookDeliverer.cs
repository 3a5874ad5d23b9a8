using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Backends.Local.Notifications;

namespace TattooDirectory.Features.Notifications;

/// <summary>The JSON body of a webhook POST.</summary>
internal sealed record WebhookPayload(
    string MessageId,
    string Topic,
    string Subject,
    string Body,
    IReadOnlyDictionary<string, string> Attributes,
    DateTimeOffset PublishedAt);

/// <summary>
/// POSTs each message as JSON, signed so the receiver can tell it came from us and was not
/// altered or replayed late: <c>X-Directory-Signature: sha256=hex(HMAC-SHA256(secret,
/// timestamp + "." + body))</c> with the unix-seconds <c>X-Directory-Timestamp</c>. Any 2xx
/// answer is a delivery; anything else, a timeout included, is a failed try.
/// </summary>
internal sealed class WebhookDeliverer(IHttpClientFactory clients, TimeProvider time) : INotificationDeliverer
{
    public const string ClientName = "notification-webhooks";
    public const string MessageIdHeader = "X-Directory-Message-Id";
    public const string TimestampHeader = "X-Directory-Timestamp";
    public const string SignatureHeader = "X-Directory-Signature";

    public async Task DeliverAsync(OutboxMessage delivery, SubscriptionOptions subscription, CancellationToken ct)
    {
        var payload = new WebhookPayload(
            delivery.Id, delivery.Topic, delivery.Message.Subject, delivery.Message.Body,
            delivery.Message.Attributes ?? new Dictionary<string, string>(), delivery.PublishedAt);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, WebhookJson.Default.WebhookPayload);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(MessageIdHeader, delivery.Id);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(subscription.Secret!, timestamp, body));

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new DeliveryFailedException(ex.HttpRequestError == HttpRequestError.Unknown ? "HTTP request failed" : $"HTTP {ex.HttpRequestError}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryFailedException("HTTP timeout", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new DeliveryFailedException($"HTTP {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>The signature header value for a body sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed.AsSpan(written + 1));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class WebhookJson : JsonSerializerContext;
