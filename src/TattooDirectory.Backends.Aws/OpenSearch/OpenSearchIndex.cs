using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using static TattooDirectory.Backends.Aws.OpenSearch.OpenSearchSchema;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>
/// The search index on Amazon OpenSearch Service over its REST API, signed with SigV4 (<c>es</c>).
/// Same semantics as the Lucene adapter: external versions with tombstones, writes visible after
/// <see cref="RefreshAsync"/>, the same text matching, filters, facets, sorts and paging.
/// </summary>
/// <remarks>
/// <see cref="GetVersionAsync"/> is a realtime get, so it sees unrefreshed writes; searches,
/// <see cref="ListAsync"/>, <see cref="ListDocumentsAsync"/> and <see cref="CountAsync"/> see
/// the last refresh. Call <see cref="EnsureIndexAsync"/> once before use.
/// </remarks>
public sealed class OpenSearchIndex : ISearchIndex
{
    // Hits per page when walking every live document.
    private const int ListPageSize = 1_000;

    private readonly OpenSearchHttp http;
    private readonly BulkWriter writer;
    private readonly string index;
    private volatile bool indexEnsured;

    public OpenSearchIndex(SignedHttpClient http, OpenSearchOptions options, SignedClientOptions retry, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = new OpenSearchHttp(http, options);
        index = options.Index;
        writer = new BulkWriter(this.http, index, retry, time);
    }

    /// <summary>Creates the index with its settings and mapping unless it exists already.</summary>
    public async Task EnsureIndexAsync(CancellationToken cancellationToken = default)
    {
        var response = await http.SendAsync(HttpMethod.Put, index, IndexDefinition(), cancellationToken);
        if (!response.IsSuccess && OpenSearchHttp.ErrorType(response.Body) != "resource_already_exists_exception")
        {
            throw OpenSearchHttp.Failure("creating the index", response);
        }

        indexEnsured = true;
    }

    /// <remarks>
    /// The first write of the process ensures the index exists: OpenSearch would otherwise create
    /// it on the fly with a guessed mapping (text styles, no geo_point) and every search after
    /// that would quietly be wrong.
    /// </remarks>
    public async Task<int> ApplyAsync(IReadOnlyList<IndexOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var encoded = BulkWriter.Encode(operations);
        if (encoded.Count == 0)
        {
            return 0;
        }

        if (!indexEnsured)
        {
            await EnsureIndexAsync(cancellationToken);
        }

        return await writer.ApplyAsync(encoded, cancellationToken);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken = default) =>
        (await http.SendJsonAsync(HttpMethod.Post, $"{index}/_refresh", null, "refreshing the index", cancellationToken)).Dispose();

    /// <summary>
    /// Nothing to do: the index is created with <c>translog.durability: request</c>, so OpenSearch
    /// has fsynced every bulk write before acknowledging it, and an acknowledged write survives a
    /// restart. A Lucene commit (<c>_flush</c>) would only shorten recovery, at a cost per call.
    /// </summary>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1);
        if (request.Geo is { } geo && (!geo.Center.IsValid || !(geo.RadiusKm >= 0)))
        {
            throw new ArgumentOutOfRangeException(nameof(request), "The geo filter needs a valid centre and a non-negative radius.");
        }

        using var json = await http.SendJsonAsync(HttpMethod.Post, $"{index}/_search", OpenSearchQuery.Search(request), "searching", cancellationToken);
        var root = json.RootElement;
        var hits = root.GetProperty("hits");
        var documents = hits.GetProperty("hits").EnumerateArray().Select(hit => ReadDocument(hit.GetProperty("_source")));
        // Measured here, with the formula the Lucene adapter uses, so both report the same distance.
        var found = documents
            .Select(document => new SearchHit(document, request.Geo is null ? null : GeoMath.DistanceKm(request.Geo.Center, document.Geo)))
            .ToList();
        var aggregations = root.GetProperty("aggregations");
        return new SearchResult(found, Total(hits), Buckets(aggregations, OpenSearchQuery.StyleFacets), Buckets(aggregations, OpenSearchQuery.CityFacets));
    }

    public async Task<long?> GetVersionAsync(string artistId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(artistId);
        var response = await http.SendAsync(HttpMethod.Get, $"{index}/_doc/{Uri.EscapeDataString(artistId)}?_source=false", body: null, cancellationToken);
        using var json = response.IsSuccess || response.StatusCode == HttpStatusCode.NotFound ? JsonDocument.Parse(response.Body) : null;
        // A missing document answers 404 with "found": false; a missing index answers 404 with an error.
        if (json is null || !json.RootElement.TryGetProperty("found", out var found))
        {
            throw OpenSearchHttp.Failure("reading a version", response);
        }

        return found.GetBoolean() ? json.RootElement.GetProperty("_version").GetInt64() : null;
    }

    public IAsyncEnumerable<(string ArtistId, long Version)> ListAsync(CancellationToken cancellationToken = default) =>
        WalkLiveAsync(new JsonArray(ArtistId, OpenSearchSchema.Version), source => (source.GetProperty(ArtistId).GetString()!, source.GetProperty(OpenSearchSchema.Version).GetInt64()), cancellationToken);

    public IAsyncEnumerable<ArtistDocument> ListDocumentsAsync(CancellationToken cancellationToken = default) =>
        WalkLiveAsync(new JsonObject { ["excludes"] = new JsonArray(StylesText, Live) }, ReadDocument, cancellationToken);

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["query"] = LiveOnly() };
        using var json = await http.SendJsonAsync(HttpMethod.Post, $"{index}/_count", body, "counting", cancellationToken);
        return json.RootElement.GetProperty("count").GetInt64();
    }

    /// <summary>
    /// Pages through the live documents in id order with <c>search_after</c>: no server-side
    /// context to clean up when the caller stops early, and each id is visited at most once.
    /// </summary>
    private async IAsyncEnumerable<T> WalkLiveAsync<T>(JsonNode source, Func<JsonElement, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JsonNode? after = null;
        while (true)
        {
            var body = new JsonObject
            {
                ["size"] = ListPageSize,
                ["query"] = LiveOnly(),
                ["sort"] = new JsonArray(new JsonObject { [ArtistId] = "asc" }),
                ["_source"] = source.DeepClone(),
            };
            if (after is not null)
            {
                body["search_after"] = after;
            }

            List<T> page;
            using (var json = await http.SendJsonAsync(HttpMethod.Post, $"{index}/_search", body, "listing documents", cancellationToken))
            {
                var hits = json.RootElement.GetProperty("hits").GetProperty("hits");
                page = [.. hits.EnumerateArray().Select(hit => read(hit.GetProperty("_source")))];
                after = page.Count == 0 ? null : JsonNode.Parse(hits[page.Count - 1].GetProperty("sort").GetRawText());
            }

            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < ListPageSize)
            {
                yield break;
            }
        }
    }

    private static JsonObject LiveOnly() => new() { ["bool"] = new JsonObject { ["filter"] = new JsonArray(new JsonObject { ["term"] = new JsonObject { [Live] = true } }) } };

    // "total" is an object ({"value", "relation"}) since OpenSearch 1.0 and a bare number before.
    private static int Total(JsonElement hits)
    {
        var total = hits.GetProperty("total");
        return total.ValueKind == JsonValueKind.Number ? total.GetInt32() : total.GetProperty("value").GetInt32();
    }

    private static IReadOnlyList<FacetCount> Buckets(JsonElement aggregations, string name) =>
    [
        .. aggregations.GetProperty(name).GetProperty("buckets").EnumerateArray()
            .Select(bucket => new FacetCount(bucket.GetProperty("key").GetString()!, bucket.GetProperty("doc_count").GetInt32())),
    ];
}
