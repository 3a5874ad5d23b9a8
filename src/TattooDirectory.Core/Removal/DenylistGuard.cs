using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// The table as every writer sees it: a write that would put an artist item of a denylisted
/// identity is refused with <see cref="IdentityDeniedException"/>, whichever code path makes it
/// (seed, catalog, admin, aggregation). Conditional writes carry a "no denylist entry" check per
/// identity in their own transaction, so a purge that denylists concurrently either commits first
/// (the write fails) or after (its delete removes what the write put). Batch writes cannot carry
/// conditions: they check, write, re-check and undo. Denylist entries cannot be deleted. Reads pass
/// through untouched.
/// </summary>
public sealed class DenylistGuard(ITable inner, IdentityHasher hasher) : ITable
{
    private readonly Denylist _denylist = new(inner, hasher);

    public Task<Item?> GetAsync(ItemKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<QueryPage> QueryAsync(TableQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<Item> ScanAsync(string partitionKeyPrefix, CancellationToken cancellationToken = default) =>
        inner.ScanAsync(partitionKeyPrefix, cancellationToken);

    public async Task<Item> PutAsync(Item item, WriteCondition? condition = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var checks = ChecksFor([item]);
        if (checks.Count == 0) return await inner.PutAsync(item, condition, cancellationToken);
        try
        {
            await inner.TransactWriteAsync([new TableWrite.Put(item, condition), .. checks.Select(c => c.Check)], cancellationToken);
        }
        catch (TransactionCanceledException ex)
        {
            throw (Exception?)Denied(ex, checks, 1) ?? new ConditionalCheckFailedException(item.Key);
        }
        // A transaction returns nothing, so the stored item (with its version) is read back; a
        // concurrent writer may already have moved it on, as with any read after a write.
        return await inner.GetAsync(item.Key, cancellationToken) ?? item;
    }

    public Task<bool> DeleteAsync(ItemKey key, WriteCondition? condition = null, CancellationToken cancellationToken = default)
    {
        RefuseDenylistDelete(key);
        return inner.DeleteAsync(key, condition, cancellationToken);
    }

    public async Task TransactWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
    {
        var checks = ChecksFor(Screen(writes));
        if (checks.Count == 0)
        {
            await inner.TransactWriteAsync(writes, cancellationToken);
            return;
        }
        if (writes.Count + checks.Count > ITable.MaxTransactionItems)
        {
            throw new ArgumentException($"{writes.Count} writes plus {checks.Count} denylist checks exceed the {ITable.MaxTransactionItems}-item transaction limit.", nameof(writes));
        }
        try
        {
            await inner.TransactWriteAsync([.. writes, .. checks.Select(c => c.Check)], cancellationToken);
        }
        catch (TransactionCanceledException ex)
        {
            // Callers index the reasons by their own writes, so the appended checks are cut off.
            throw (Exception?)Denied(ex, checks, writes.Count) ?? new TransactionCanceledException([.. ex.Reasons.Take(writes.Count)]);
        }
    }

    public async Task BatchWriteAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken = default)
    {
        var artists = ArtistsOf(Screen(writes));
        if (artists.Count == 0)
        {
            await inner.BatchWriteAsync(writes, cancellationToken);
            return;
        }

        var refused = await _denylist.DeniedAmongAsync(artists, cancellationToken);
        var allowed = refused.Count == 0 ? writes : [.. writes.Where(w => !IsPutOf(w, refused))];
        IReadOnlySet<string> late;
        try
        {
            if (allowed.Count > 0) await inner.BatchWriteAsync(allowed, cancellationToken);
        }
        finally
        {
            // A purge denylists before it deletes: either it deletes what was just written, or its
            // entry is visible now and the write is undone here. Also when the write failed or was
            // cancelled part-way (chunks before the failure committed), and never cancellable
            // itself: skipping it could leave a removed artist behind a completed purge.
            var written = artists.Where(a => !refused.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            late = await _denylist.DeniedAmongAsync(written, CancellationToken.None);
            if (late.Count > 0)
            {
                var undo = allowed.OfType<TableWrite.Put>().Where(p => IsPutOf(p, late)).Select(p => p.Key).Distinct().Select(k => (TableWrite)new TableWrite.Delete(k)).ToList();
                await inner.BatchWriteAsync(undo, CancellationToken.None);
            }
        }
        if (refused.Count + late.Count > 0) throw new IdentityDeniedException([.. refused.Concat(late).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The artist an item belongs to: its own partition, or a studio's membership item naming it.</summary>
    internal static string? ArtistIdOf(Item item) =>
        Keys.ArtistIdOf(item.Pk)
        ?? (item.Pk.StartsWith(Keys.StudioPrefix, StringComparison.Ordinal) && item.Sk.StartsWith(Keys.ArtistPrefix, StringComparison.Ordinal)
            ? item.Sk[Keys.ArtistPrefix.Length..]
            : null);

    private static bool IsPutOf(TableWrite write, IReadOnlySet<string> artistIds) =>
        write is TableWrite.Put put && ArtistIdOf(put.Item) is { } id && artistIds.Contains(id);

    /// <summary>The artists the items belong to, each with its profile when one of the items is it.</summary>
    private static Dictionary<string, Artist?> ArtistsOf(IEnumerable<Item> items)
    {
        var artists = new Dictionary<string, Artist?>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (ArtistIdOf(item) is not { } id) continue;
            if (IsProfile(item)) artists[id] = TryReadArtist(item);
            else artists.TryAdd(id, null);
        }
        return artists;
    }

    /// <summary>
    /// A profile that does not parse as an artist names no handle or studio to check, so only its
    /// id is checked; refusing it here would make the guard stricter than the store it wraps.
    /// </summary>
    private static Artist? TryReadArtist(Item item)
    {
        try
        {
            return ArtistItems.ReadArtist(item);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            return null;
        }
    }

    private static bool IsProfile(Item item) => item.Sk == Keys.Profile && Keys.ArtistIdOf(item.Pk) is not null;

    private sealed record DenyCheck(string ArtistId, TableWrite.Check Check);

    private List<DenyCheck> ChecksFor(IEnumerable<Item> items)
    {
        var checks = new List<DenyCheck>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, profile) in ArtistsOf(items))
        {
            foreach (var hash in _denylist.HashesOf(id, profile))
            {
                if (seen.Add(hash)) checks.Add(new DenyCheck(id, new TableWrite.Check(Keys.Denied(hash), WriteCondition.NotExists)));
            }
        }
        return checks;
    }

    /// <summary>The refusal to throw when one of the appended checks failed, else null (an original condition failed).</summary>
    private static IdentityDeniedException? Denied(TransactionCanceledException ex, List<DenyCheck> checks, int originalCount)
    {
        if (ex.Reasons.Count != originalCount + checks.Count) return null;
        var denied = checks.Where((c, i) => ex.Reasons[originalCount + i] is not null).Select(c => c.ArtistId).Distinct().ToList();
        return denied.Count == 0 ? null : new IdentityDeniedException(denied);
    }

    /// <summary>Refuses the writes if any deletes a denylist entry; else the items they put.</summary>
    private static List<Item> Screen(IReadOnlyList<TableWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes.OfType<TableWrite.Delete>()) RefuseDenylistDelete(write.Key);
        return [.. writes.OfType<TableWrite.Put>().Select(p => p.Item)];
    }

    private static void RefuseDenylistDelete(ItemKey key)
    {
        if (key.Pk.StartsWith(Keys.DenyPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The denylist is permanent: its entries cannot be deleted.");
        }
    }
}
