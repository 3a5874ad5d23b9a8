using System.Text.Json;
using System.Text.Json.Serialization;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Documents;
using Lucene.Net.Util;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// Field names and the mapping of an <see cref="ArtistDocument"/> (or a tombstone) onto a Lucene
/// document. Everything a search reads per hit lives in DocValues (cached as
/// <see cref="SegmentColumns"/>); the JSON document is read only for the hits of the requested page.
/// </summary>
internal static class IndexSchema
{
    // Identity and versioning (live documents and tombstones).
    public const string Id = "id";
    public const string Version = "version";
    /// <summary>"1" on every live (non-tombstone) document.</summary>
    public const string Live = "live";
    /// <summary>"1" on live documents that may appear in results (not opted out).</summary>
    public const string Visible = "visible";
    public const string Json = "json";

    // Filters, facets and sort keys (geo cells: GeoGrid.CellField).
    public const string Style = "style";
    public const string StudioId = "studioId";
    public const string City = "city";
    public const string Lat = "lat";
    public const string Lon = "lon";
    public const string Rating = "rating";
    public const string ReviewCount = "reviewCount";
    public const string NameSort = "nameSort";

    // Analysed text.
    public const string Name = "name";
    public const string StudioName = "studioName";
    public const string Handle = "handle";
    public const string StylesText = "styles";
    public const string Bio = "bio";
    public const string Location = "location";

    public const string Flag = "1";

    private const int MaxKeywordLength = 256;

    public static Document LiveDocument(ArtistDocument artist)
    {
        var doc = Identity(artist.ArtistId, artist.Version);
        doc.Add(new StringField(Live, Flag, Field.Store.NO));
        if (!artist.OptedOut) doc.Add(new StringField(Visible, Flag, Field.Store.NO));
        // DocValues rather than a stored field: stored fields decompress a 16 KB block per hit
        // (about 130 µs each in Lucene.NET), DocValues read the bytes in place (about 5 µs).
        doc.Add(new BinaryDocValuesField(Json, new BytesRef(JsonSerializer.SerializeToUtf8Bytes(artist, SearchJsonContext.Default.ArtistDocument))));

        foreach (var style in artist.Styles.Where(s => !string.IsNullOrEmpty(s)).Select(Keyword).Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField(Style, style, Field.Store.NO));
            doc.Add(new SortedSetDocValuesField(Style, new BytesRef(style)));
        }
        if (!string.IsNullOrEmpty(artist.StudioId)) doc.Add(new StringField(StudioId, Keyword(artist.StudioId), Field.Store.NO));
        if (!string.IsNullOrEmpty(artist.City)) doc.Add(new SortedDocValuesField(City, new BytesRef(Keyword(artist.City))));

        if (artist.Geo.IsValid)
        {
            foreach (var perDegree in GeoGrid.CellsPerDegree)
            {
                doc.Add(new StringField(GeoGrid.CellField(perDegree), GeoGrid.Cell(artist.Geo.Lat, artist.Geo.Lon, perDegree), Field.Store.NO));
            }
        }
        doc.Add(new NumericDocValuesField(Lat, BitConverter.DoubleToInt64Bits(artist.Geo.Lat)));
        doc.Add(new NumericDocValuesField(Lon, BitConverter.DoubleToInt64Bits(artist.Geo.Lon)));
        doc.Add(new NumericDocValuesField(Rating, BitConverter.DoubleToInt64Bits(artist.Rating)));
        doc.Add(new NumericDocValuesField(ReviewCount, artist.ReviewCount));
        doc.Add(new SortedDocValuesField(NameSort, new BytesRef(Keyword(SortKey(artist.Name ?? "")))));

        AddText(doc, Name, artist.Name);
        AddText(doc, StudioName, artist.StudioName);
        AddText(doc, Handle, artist.InstagramHandle);
        AddText(doc, StylesText, StyleVocabulary.SearchText(artist.Styles));
        AddText(doc, Bio, artist.Bio);
        AddText(doc, Location, $"{artist.City} {artist.LocationDisplay}");
        return doc;
    }

    /// <summary>What a delete leaves behind: enough to answer "which version do you hold?" and nothing searchable.</summary>
    public static Document Tombstone(string artistId, long version) => Identity(artistId, version);

    public static double AsDouble(long bits) => BitConverter.Int64BitsToDouble(bits);

    public static ArtistDocument ReadJson(BytesRef json) =>
        JsonSerializer.Deserialize(json.Bytes.AsSpan(json.Offset, json.Length), SearchJsonContext.Default.ArtistDocument)
        ?? throw new InvalidDataException("A stored search document is empty.");

    /// <summary>Case- and accent-insensitive key so "Émile" sorts beside "emma", not after "zoe".</summary>
    public static string SortKey(string name)
    {
        var input = name.Trim().ToLowerInvariant().ToCharArray();
        // Folding can expand one char into up to four ("ß" → "ss", "⑴" → "(1)").
        var output = new char[input.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, input.Length);
        return new string(output, 0, length);
    }

    /// <summary>
    /// Lucene rejects a whole document when one term or sorted value exceeds 32 KB; a scraped
    /// value that long is garbage anyway, so it is cut rather than allowed to block the sync.
    /// </summary>
    private static string Keyword(string value) => value.Length <= MaxKeywordLength ? value : value[..MaxKeywordLength];

    private static Document Identity(string artistId, long version)
    {
        ArgumentException.ThrowIfNullOrEmpty(artistId);
        return
        [
            new StringField(Id, artistId, Field.Store.NO),
            // Binary, not sorted: ids are unique, so ordinals would buy nothing and cost a sort per flush.
            new BinaryDocValuesField(Id, new BytesRef(artistId)),
            new NumericDocValuesField(Version, version),
        ];
    }

    private static void AddText(Document doc, string field, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text)) doc.Add(new TextField(field, text, Field.Store.NO));
    }
}

[JsonSerializable(typeof(ArtistDocument))]
internal sealed partial class SearchJsonContext : JsonSerializerContext;
