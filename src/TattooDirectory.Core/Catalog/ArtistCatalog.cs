using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;

namespace TattooDirectory.Core.Catalog;

/// <summary>Studios read once per unit of work; safe for concurrent use.</summary>
public sealed class StudioCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<Studio?>> _studios = new(StringComparer.Ordinal);

    public Task<Studio?> GetAsync(string studioId, Func<string, Task<Studio?>> read) => _studios.GetOrAdd(studioId, read);
}

/// <summary>An artist as the profile page shows it.</summary>
public sealed record ArtistProfile(Artist Artist, Studio? Studio, IReadOnlyList<PortfolioImage> Images, long Version);

/// <summary>
/// Reads and writes artists and studios. Every change that alters an artist's search document
/// rewrites the artist's profile item in the same transaction, so the profile version is the
/// document version and the sync never has to merge versions of several items.
/// </summary>
public sealed class ArtistCatalog(ITable table, IBlobStore blobs)
{
    public async Task PutStudioAsync(Studio studio, CancellationToken cancellationToken = default)
    {
        var before = await GetStudioAsync(studio.StudioId, cancellationToken);
        await table.PutAsync(ArtistItems.StudioProfile(studio), cancellationToken: cancellationToken);
        if (before is null || before.Name == studio.Name) return;
        // A renamed studio changes the documents of its artists: rewrite each so its version moves on.
        foreach (var member in await ListMemberIdsAsync(studio.StudioId, cancellationToken))
        {
            // Rewrite exactly what was read; if the artist changed in between, read again rather
            // than write an older state over the newer edit.
            for (var attempt = 1; ; attempt++)
            {
                var profile = await GetArtistAsync(member, cancellationToken);
                if (profile is null) break;
                try
                {
                    await PutArtistAsync(profile.Artist, profile.Images, profile.Version, cancellationToken);
                    break;
                }
                catch (Exception ex) when (ex is ConditionalCheckFailedException or TransactionCanceledException && attempt < MaxAttempts)
                {
                    await BackOffAsync(attempt, cancellationToken);
                }
            }
        }
    }

    private const int MaxAttempts = 10;

    /// <summary>A short random pause before retrying a write that lost a race, so racing writers spread out.</summary>
    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Random.Shared.Next(1, 2 << Math.Min(attempt, 6)), cancellationToken);

    /// <summary>Creates or replaces an artist with exactly these images; returns the new profile version.</summary>
    public Task<long> PutArtistAsync(Artist artist, IReadOnlyList<PortfolioImage> images, CancellationToken cancellationToken = default) =>
        PutArtistAsync(artist, images, expectedVersion: null, cancellationToken);

    /// <summary>
    /// Creates or replaces an artist with exactly these images. The write is conditional on the
    /// profile version read at its start, so the items it deletes are the ones that really are
    /// stale; a concurrent writer makes it read again and redo (last writer wins, item set
    /// consistent). With <paramref name="expectedVersion"/> it instead fails with
    /// <see cref="ConditionalCheckFailedException"/> unless the profile is still at that version.
    /// </summary>
    public async Task<long> PutArtistAsync(Artist artist, IReadOnlyList<PortfolioImage> images, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        Validate(artist, images);
        var profileKey = Keys.ArtistProfile(artist.ArtistId);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await QueryPartitionAsync(Keys.ArtistPk(artist.ArtistId), cancellationToken);
            var previous = existing.FirstOrDefault(i => i.Sk == Keys.Profile);
            if (expectedVersion is not null && previous?.Version != expectedVersion) throw new ConditionalCheckFailedException(profileKey);
            var studio = artist.StudioId is null ? null : await GetStudioAsync(artist.StudioId, cancellationToken);
            var items = ArtistItems.All(artist, studio, images, blobs);
            var writes = new List<TableWrite>(items.Count + existing.Count);
            writes.AddRange(items.Select(i => new TableWrite.Put(i, i.Sk == Keys.Profile ? Unchanged(previous) : null)));
            var keep = items.Select(i => i.Key).ToHashSet();
            writes.AddRange(existing.Where(i => !keep.Contains(i.Key)).Select(i => new TableWrite.Delete(i.Key)));
            if (previous is not null && ArtistItems.ReadArtist(previous).StudioId is { } oldStudio && oldStudio != artist.StudioId)
            {
                writes.Add(new TableWrite.Delete(Keys.StudioMember(oldStudio, artist.ArtistId)));
            }
            try
            {
                await table.TransactWriteAsync(writes, cancellationToken);
            }
            catch (TransactionCanceledException) when (expectedVersion is null && attempt < MaxAttempts)
            {
                await BackOffAsync(attempt, cancellationToken);
                continue;
            }
            catch (TransactionCanceledException) when (expectedVersion is not null)
            {
                throw new ConditionalCheckFailedException(profileKey);
            }
            var stored = await table.GetAsync(profileKey, cancellationToken);
            return stored?.Version ?? 0;
        }
    }

    private static WriteCondition Unchanged(Item? previous) =>
        previous is null ? WriteCondition.NotExists : WriteCondition.VersionEquals(previous.Version);

    /// <summary>Removes the artist's profile, styles, images and studio membership in one transaction.</summary>
    public async Task<bool> DeleteArtistAsync(string artistId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await QueryPartitionAsync(Keys.ArtistPk(artistId), cancellationToken);
            var profile = existing.FirstOrDefault(i => i.Sk == Keys.Profile);
            if (profile is null) return false;
            // Conditional on the profile read, so an item a concurrent writer added is not left behind.
            var writes = existing.Select(i => (TableWrite)new TableWrite.Delete(i.Key, i.Sk == Keys.Profile ? Unchanged(profile) : null)).ToList();
            if (ArtistItems.ReadArtist(profile).StudioId is { } studioId) writes.Add(new TableWrite.Delete(Keys.StudioMember(studioId, artistId)));
            try
            {
                await table.TransactWriteAsync(writes, cancellationToken);
                return true;
            }
            catch (TransactionCanceledException) when (attempt < MaxAttempts)
            {
                await BackOffAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Removes the named images of an artist and rewrites the profile, so the search document
    /// moves to a version without them. Returns the new profile version, or null when the artist
    /// is gone. Idempotent: images already gone are simply not there to remove.
    /// </summary>
    public async Task<long?> RemoveImagesAsync(string artistId, IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var profile = await GetArtistAsync(artistId, cancellationToken);
            if (profile is null) return null;
            var keep = profile.Images.Where(i => !imageIds.Contains(i.ImageId)).ToList();
            try
            {
                return await PutArtistAsync(profile.Artist, keep, profile.Version, cancellationToken);
            }
            catch (ConditionalCheckFailedException) when (attempt < MaxAttempts)
            {
                await BackOffAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Loads many studios and artists with batch writes (no per-artist transaction): seeding and
    /// benchmarks. Not for live edits: it neither removes stale items nor moves memberships.
    /// </summary>
    public async Task<int> BulkLoadAsync(IEnumerable<Studio> studios, IEnumerable<(Artist Artist, IReadOnlyList<PortfolioImage> Images)> artists, int batchItems = 50_000, CancellationToken cancellationToken = default)
    {
        var studioById = new Dictionary<string, Studio>(StringComparer.Ordinal);
        var batch = new List<TableWrite>(batchItems + 64);
        foreach (var studio in studios)
        {
            studioById[studio.StudioId] = studio;
            batch.Add(new TableWrite.Put(ArtistItems.StudioProfile(studio)));
            if (batch.Count >= batchItems) await FlushAsync();
        }
        var count = 0;
        foreach (var (artist, images) in artists)
        {
            Validate(artist, images);
            var studio = artist.StudioId is null ? null : studioById.GetValueOrDefault(artist.StudioId);
            batch.AddRange(ArtistItems.All(artist, studio, images, blobs).Select(i => new TableWrite.Put(i)));
            count++;
            if (batch.Count >= batchItems) await FlushAsync();
        }
        await FlushAsync();
        return count;

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            await table.BatchWriteAsync([.. batch], cancellationToken);
            batch.Clear();
        }
    }

    public Task<ArtistProfile?> GetArtistAsync(string artistId, CancellationToken cancellationToken = default) =>
        GetArtistAsync(artistId, studios: null, cancellationToken);

    /// <param name="studios">Studios already read in this unit of work (a sync pass), shared to save a read per artist.</param>
    public async Task<ArtistProfile?> GetArtistAsync(string artistId, StudioCache? studios, CancellationToken cancellationToken = default)
    {
        var items = await QueryPartitionAsync(Keys.ArtistPk(artistId), cancellationToken);
        var profile = items.FirstOrDefault(i => i.Sk == Keys.Profile);
        if (profile is null) return null;
        var artist = ArtistItems.ReadArtist(profile);
        var images = items.Where(i => i.Sk.StartsWith(Keys.ImagePrefix, StringComparison.Ordinal))
            .Select(ArtistItems.ReadImage)
            .OrderBy(i => i.Position).ThenBy(i => i.ImageId, StringComparer.Ordinal)
            .ToList();
        var studio = artist.StudioId is null ? null
            : studios is null ? await GetStudioAsync(artist.StudioId, cancellationToken)
            : await studios.GetAsync(artist.StudioId, id => GetStudioAsync(id, cancellationToken));
        return new ArtistProfile(artist, studio, images, profile.Version);
    }

    /// <summary>The search document for the artist as the store holds it now, or null when the artist is gone.</summary>
    public async Task<ArtistDocument?> BuildDocumentAsync(string artistId, StudioCache? studios = null, CancellationToken cancellationToken = default)
    {
        var profile = await GetArtistAsync(artistId, studios, cancellationToken);
        return profile is null ? null : ToDocument(profile.Artist, profile.Studio, profile.Images, profile.Version);
    }

    public ArtistDocument ToDocument(Artist artist, Studio? studio, IReadOnlyList<PortfolioImage> images, long version) =>
        ArtistItems.Document(artist, studio, images, version, blobs);

    public async Task<Studio?> GetStudioAsync(string studioId, CancellationToken cancellationToken = default)
    {
        var item = await table.GetAsync(Keys.StudioProfile(studioId), cancellationToken);
        return item is null ? null : ArtistItems.ReadStudio(item);
    }

    public async Task<IReadOnlyList<string>> ListMemberIdsAsync(string studioId, CancellationToken cancellationToken = default)
    {
        var items = await QueryPartitionAsync(Keys.StudioPk(studioId), cancellationToken, Keys.ArtistPrefix);
        return [.. items.Select(i => i.Sk[Keys.ArtistPrefix.Length..])];
    }

    /// <summary>Studios ordered by name, optionally in one city; one page plus the total.</summary>
    public async Task<(IReadOnlyList<Studio> Studios, int Total)> ListStudiosAsync(string? city, int page, int limit, CancellationToken cancellationToken = default)
    {
        var all = new List<Studio>();
        if (city is not null)
        {
            string? cursor = null;
            do
            {
                var result = await table.QueryAsync(new TableQuery(Keys.StudioCity(city, "").Pk) { Index = TableIndex.Gsi4, Limit = 1000, Cursor = cursor }, cancellationToken);
                all.AddRange(result.Items.Select(ArtistItems.ReadStudio));
                cursor = result.NextCursor;
            }
            while (cursor is not null);
        }
        else
        {
            await foreach (var item in table.ScanAsync(Keys.StudioPrefix, cancellationToken))
            {
                if (item.Sk == Keys.Profile) all.Add(ArtistItems.ReadStudio(item));
            }
            all.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        }
        return ([.. all.Skip((page - 1) * limit).Take(limit)], all.Count);
    }

    private async Task<List<Item>> QueryPartitionAsync(string pk, CancellationToken cancellationToken, string? skPrefix = null)
    {
        var items = new List<Item>();
        string? cursor = null;
        do
        {
            var page = await table.QueryAsync(new TableQuery(pk) { SortKeyPrefix = skPrefix, Limit = 1000, Cursor = cursor }, cancellationToken);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return items;
    }

    private static void Validate(Artist artist, IReadOnlyList<PortfolioImage> images)
    {
        if (!Identifiers.IsArtistId(artist.ArtistId)) throw new ArgumentException($"Invalid artist id '{artist.ArtistId}'.", nameof(artist));
        if (artist.StudioId is not null && !Identifiers.IsStudioId(artist.StudioId)) throw new ArgumentException("Invalid studio id.", nameof(artist));
        if (artist.Styles.Any(s => !StyleVocabulary.TryGet(s, out _))) throw new ArgumentException("Unknown style id.", nameof(artist));
        if (images.Count > ArtistItems.MaxImages) throw new ArgumentException($"At most {ArtistItems.MaxImages} images per artist.", nameof(images));
        if (images.Any(i => i.ArtistId != artist.ArtistId)) throw new ArgumentException("Every image must belong to the artist.", nameof(images));
    }
}
