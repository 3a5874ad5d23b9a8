using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>
/// Applies index operations through the bulk API with external versions: OpenSearch itself
/// refuses a version that is not newer than the one it holds, so a stale operation comes back
/// as a per-item version conflict and is simply not counted. Deletes write a tombstone document
/// (not a bulk delete), because OpenSearch forgets a deleted document's version after
/// <c>index.gc_deletes</c> and a late older upsert would then resurrect the artist.
/// </summary>
internal sealed class BulkWriter(OpenSearchHttp http, string index, SignedClientOptions retry, TimeProvider time)
{
    public const string NdJsonType = "application/x-ndjson";

    // Within the 5–15 MB OpenSearch recommends, and below the smallest domains' 10 MB request limit.
    private const int MaxRequestBytes = 5 * 1024 * 1024;
    private const int MaxRequestOperations = 1_000;

    /// <summary>Checks and encodes every operation up front, so a bad one sends nothing.</summary>
    public static IReadOnlyList<byte[]> Encode(IReadOnlyList<IndexOperation> operations) => [.. operations.Select(Encode)];

    public async Task<int> ApplyAsync(IReadOnlyList<byte[]> encoded, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var chunk in Chunks(encoded))
        {
            applied += await SendWithRetriesAsync(chunk, cancellationToken);
        }

        return applied;
    }

    /// <summary>
    /// Items the cluster rejected under load (429) are sent again after a backoff. Safe in any
    /// order: an item a later one for the same artist already overtook comes back as a conflict.
    /// </summary>
    private async Task<int> SendWithRetriesAsync(IReadOnlyList<byte[]> chunk, CancellationToken cancellationToken)
    {
        var applied = 0;
        for (var attempt = 1; ; attempt++)
        {
            var (accepted, rejected) = await SendAsync(chunk, cancellationToken);
            applied += accepted;
            if (rejected.Count == 0)
            {
                return applied;
            }

            if (attempt >= retry.MaxAttempts)
            {
                throw new OpenSearchException("bulk indexing", HttpStatusCode.TooManyRequests, "rejected_execution_exception");
            }

            await Task.Delay(SignedHttpClient.RetryDelay(attempt, retry, Random.Shared.NextDouble()), time, cancellationToken);
            chunk = rejected;
        }
    }

    private async Task<(int Applied, List<byte[]> Rejected)> SendAsync(IReadOnlyList<byte[]> chunk, CancellationToken cancellationToken)
    {
        var body = new byte[chunk.Sum(lines => lines.Length)];
        var offset = 0;
        foreach (var lines in chunk)
        {
            lines.CopyTo(body, offset);
            offset += lines.Length;
        }

        var response = await http.SendAsync(HttpMethod.Post, $"{index}/_bulk", body, NdJsonType, cancellationToken);
        if (!response.IsSuccess)
        {
            throw OpenSearchHttp.Failure("bulk indexing", response);
        }

        using var json = JsonDocument.Parse(response.Body);
        var items = json.RootElement.GetProperty("items");
        if (items.GetArrayLength() != chunk.Count)
        {
            throw new InvalidDataException($"The bulk response has {items.GetArrayLength()} items for {chunk.Count} operations.");
        }

        var applied = 0;
        var rejected = new List<byte[]>();
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            // One property named after the action ("index"), holding the outcome.
            var outcome = item.EnumerateObject().First().Value;
            switch ((HttpStatusCode)outcome.GetProperty("status").GetInt32())
            {
                case HttpStatusCode.OK or HttpStatusCode.Created:
                    applied++;
                    break;
                case HttpStatusCode.Conflict:
                    // version_conflict_engine_exception: the index already holds this version or a newer one.
                    break;
                case HttpStatusCode.TooManyRequests:
                    rejected.Add(chunk[i]);
                    break;
                case var status:
                    throw new OpenSearchException("bulk indexing", status, ItemErrorType(outcome));
            }

            i++;
        }

        return (applied, rejected);
    }

    private static string? ItemErrorType(JsonElement outcome) =>
        outcome.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("type", out var type)
            ? type.GetString()
            : null;

    private static IEnumerable<IReadOnlyList<byte[]>> Chunks(IReadOnlyList<byte[]> encoded)
    {
        var chunk = new List<byte[]>();
        var bytes = 0;
        foreach (var lines in encoded)
        {
            if (chunk.Count > 0 && (chunk.Count >= MaxRequestOperations || bytes + lines.Length > MaxRequestBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(lines);
            bytes += lines.Length;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>The action line and the source line of one operation, newline-terminated as NDJSON requires.</summary>
    private static byte[] Encode(IndexOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(operation.ArtistId, nameof(operation));
        var source = operation switch
        {
            IndexOperation.Upsert upsert => OpenSearchSchema.LiveSource(upsert.Document),
            IndexOperation.Delete delete => OpenSearchSchema.TombstoneSource(delete.ArtistId, delete.Version),
            _ => throw new ArgumentException($"Unknown index operation {operation.GetType().Name}.", nameof(operation)),
        };
        var action = new JsonObject
        {
            ["index"] = new JsonObject { ["_id"] = operation.ArtistId, ["version"] = operation.Version, ["version_type"] = "external" },
        };
        using var buffer = new MemoryStream();
        foreach (var line in (ReadOnlySpan<JsonNode>)[action, source])
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                line.WriteTo(writer);
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }
}
