using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>
/// The index's settings and mapping, and how an <see cref="ArtistDocument"/> (or a tombstone)
/// becomes its source. The source is the document itself in camelCase, so a hit's
/// <c>_source</c> reads straight back into the record; two derived fields ride along.
/// </summary>
internal static class OpenSearchSchema
{
    // The document's own fields.
    public const string ArtistId = "artistId";
    public const string Version = "version";
    public const string Name = "name";
    public const string StudioId = "studioId";
    public const string StudioName = "studioName";
    public const string City = "city";
    public const string LocationDisplay = "locationDisplay";
    public const string Geo = "geo";
    public const string Styles = "styles";
    public const string Bio = "bio";
    public const string Handle = "instagramHandle";
    public const string Rating = "rating";
    public const string ReviewCount = "reviewCount";
    public const string OptedOut = "optedOut";

    // Derived fields.
    /// <summary>True on every document that is not a tombstone.</summary>
    public const string Live = "live";
    public const string StylesText = "stylesText";
    /// <summary>City and location display, copied in by the mapping (the Lucene adapter's "location").</summary>
    public const string Location = "location";
    public const string NameSort = "name.sort";
    public const string BioEnglish = "bio.english";

    /// <summary>As the Lucene adapter's keyword cut: a scraped value longer than this is garbage.</summary>
    private const int MaxKeywordLength = 256;

    /// <summary>
    /// One primary shard: a directory of tens of thousands of artists fits easily, and BM25
    /// statistics from one shard rank identical documents identically (ties then fall to the id,
    /// as in the Lucene adapter). Replicas follow the node count. Refreshes happen when the sync
    /// asks (<see cref="ISearchIndex.RefreshAsync"/>), never on a timer, and every acknowledged
    /// write is already fsynced, which is what makes <see cref="ISearchIndex.CommitAsync"/> free.
    /// </summary>
    public static JsonObject IndexDefinition() => new()
    {
        ["settings"] = new JsonObject
        {
            ["index"] = new JsonObject
            {
                ["number_of_shards"] = 1,
                ["auto_expand_replicas"] = "0-1",
                ["refresh_interval"] = "-1",
                ["translog"] = new JsonObject { ["durability"] = "request" },
                // A NaN coordinate or rating skips that field instead of rejecting the artist.
                ["mapping"] = new JsonObject { ["ignore_malformed"] = true },
            },
            ["analysis"] = new JsonObject
            {
                ["analyzer"] = new JsonObject
                {
                    // The Lucene adapter's analyzer: Unicode words, lower case, accents folded.
                    ["folding"] = new JsonObject
                    {
                        ["type"] = "custom",
                        ["tokenizer"] = "standard",
                        ["filter"] = new JsonArray("lowercase", "asciifolding"),
                    },
                    // Bio prose also matches by stem ("tattooing" finds "tattoo"); no stop words,
                    // so every query term can still match somewhere.
                    ["english_folding"] = new JsonObject
                    {
                        ["type"] = "custom",
                        ["tokenizer"] = "standard",
                        ["filter"] = new JsonArray("english_possessive", "lowercase", "asciifolding", "english_stemmer"),
                    },
                },
                ["filter"] = new JsonObject
                {
                    ["english_possessive"] = new JsonObject { ["type"] = "stemmer", ["language"] = "possessive_english" },
                    ["english_stemmer"] = new JsonObject { ["type"] = "stemmer", ["language"] = "english" },
                },
                ["normalizer"] = new JsonObject
                {
                    // Case- and accent-insensitive name order, as the Lucene adapter's sort key.
                    ["sort_key"] = new JsonObject { ["type"] = "custom", ["filter"] = new JsonArray("lowercase", "asciifolding") },
                },
            },
        },
        ["mappings"] = new JsonObject
        {
            // Fields the mapping does not name stay in _source unindexed (new document fields
            // never fail a write); the names below are all a search touches.
            ["dynamic"] = false,
            ["properties"] = new JsonObject
            {
                [ArtistId] = Keyword(),
                [Version] = new JsonObject { ["type"] = "long" },
                [Live] = new JsonObject { ["type"] = "boolean" },
                [OptedOut] = new JsonObject { ["type"] = "boolean" },
                [Name] = new JsonObject
                {
                    ["type"] = "text",
                    ["analyzer"] = "folding",
                    ["fields"] = new JsonObject
                    {
                        ["sort"] = new JsonObject { ["type"] = "keyword", ["normalizer"] = "sort_key", ["ignore_above"] = MaxKeywordLength },
                    },
                },
                [StudioName] = Text(),
                [Handle] = Text(),
                [StylesText] = Text(),
                [Bio] = new JsonObject
                {
                    ["type"] = "text",
                    ["analyzer"] = "folding",
                    ["fields"] = new JsonObject { ["english"] = new JsonObject { ["type"] = "text", ["analyzer"] = "english_folding" } },
                },
                [Location] = Text(),
                [City] = Keyword(copyTo: Location),
                [LocationDisplay] = new JsonObject { ["type"] = "text", ["analyzer"] = "folding", ["copy_to"] = Location },
                [Styles] = Keyword(),
                [StudioId] = Keyword(),
                [Geo] = new JsonObject { ["type"] = "geo_point" },
                [Rating] = new JsonObject { ["type"] = "double" },
                [ReviewCount] = new JsonObject { ["type"] = "integer" },
            },
        },
    };

    /// <summary>The source of a live document: the artist as stored, plus the derived fields.</summary>
    public static JsonObject LiveSource(ArtistDocument artist)
    {
        // Through bytes, so a NaN is already the literal the serializer options allow.
        var source = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(artist, OpenSearchJson.Default.ArtistDocument))!.AsObject();
        source[Live] = true;
        source[StylesText] = StyleVocabulary.SearchText(artist.Styles);
        return source;
    }

    /// <summary>What a delete leaves behind: the version, to refuse older writes, and nothing searchable.</summary>
    public static JsonObject TombstoneSource(string artistId, long version) => new()
    {
        [ArtistId] = artistId,
        [Version] = version,
        [Live] = false,
    };

    public static ArtistDocument ReadDocument(JsonElement source) =>
        source.Deserialize(OpenSearchJson.Default.ArtistDocument) ?? throw new InvalidDataException("A stored search document is empty.");

    private static JsonObject Text() => new() { ["type"] = "text", ["analyzer"] = "folding" };

    // ignore_above: a keyword over the limit is skipped rather than failing the document
    // (Lucene rejects terms over 32 KB, OpenSearch likewise).
    private static JsonObject Keyword(string? copyTo = null)
    {
        var field = new JsonObject { ["type"] = "keyword", ["ignore_above"] = MaxKeywordLength };
        if (copyTo is not null)
        {
            field["copy_to"] = copyTo;
        }

        return field;
    }
}

/// <summary>
/// camelCase; computed properties left out (a geo_point must be exactly lat and lon, not also
/// GeoPoint.IsValid); NaN written as a literal so one bad number cannot stop a write (the
/// mapping ignores malformed values).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    IgnoreReadOnlyProperties = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ArtistDocument))]
internal sealed partial class OpenSearchJson : JsonSerializerContext;
