using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// One entry of a request's audit trail. <see cref="Hash"/> covers the entry and
/// <see cref="PreviousHash"/>, so editing, dropping or reordering any entry breaks every hash after
/// it. Entries hold event names, counts and hash prefixes, never personal data, so they outlive
/// the requester's contact data.
/// </summary>
public sealed record AuditEntry(int Sequence, DateTimeOffset At, string Event, string? Detail, string PreviousHash, string Hash);

/// <summary>
/// The append-only, hash-chained audit trail of removal requests. An entry is written in the same
/// transaction as the state change it records, conditional on its slot being empty, and the
/// request item carries the chain's length and head so the next append needs no read.
/// </summary>
public static class AuditTrail
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// The write that appends an entry, and the request with its chain advanced. Commit both in one
    /// transaction (the request's update is conditional on the version it was read at).
    /// </summary>
    public static (RemovalRequest Request, TableWrite Write) Append(RemovalRequest request, string @event, string? detail, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@event);
        var sequence = request.AuditLength + 1;
        var previous = request.AuditHead ?? Genesis;
        var entry = new AuditEntry(sequence, at, @event, detail, previous, HashOf(sequence, at, @event, detail, previous));
        var key = Keys.AuditEntry(request.RequestId, sequence);
        var item = new Item { Pk = key.Pk, Sk = key.Sk, Data = JsonSerializer.Serialize(entry, AuditJson.Default.AuditEntry) };
        return (request with { AuditLength = sequence, AuditHead = entry.Hash }, new TableWrite.Put(item, WriteCondition.NotExists));
    }

    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(ITable table, string requestId, CancellationToken cancellationToken = default)
    {
        var entries = new List<AuditEntry>();
        string? cursor = null;
        do
        {
            var page = await table.QueryAsync(new TableQuery(Keys.AuditPk(requestId)) { Cursor = cursor, Limit = 1000 }, cancellationToken);
            entries.AddRange(page.Items.Select(i => JsonSerializer.Deserialize(i.Data, AuditJson.Default.AuditEntry)
                ?? throw new JsonException($"Empty audit item {i.Key}.")));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return entries;
    }

    /// <summary>True when the entries are numbered 1..n, each chains to the one before, and the last is <paramref name="expectedHead"/>.</summary>
    public static bool Verify(IReadOnlyList<AuditEntry> entries, string? expectedHead)
    {
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Sequence != i + 1 || e.PreviousHash != previous || e.Hash != HashOf(e.Sequence, e.At, e.Event, e.Detail, e.PreviousHash)) return false;
            previous = e.Hash;
        }
        return entries.Count == 0 ? expectedHead is null : previous == expectedHead;
    }

    private static string HashOf(int sequence, DateTimeOffset at, string @event, string? detail, string previous)
    {
        var canonical = string.Create(CultureInfo.InvariantCulture, $"{sequence}\n{at.UtcTicks}\n{@event}\n{detail}\n{previous}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class AuditJson : JsonSerializerContext;
