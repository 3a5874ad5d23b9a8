using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// Google Places API (New) Text Search, <c>POST /v1/places:searchText</c>, as documented: any
/// non-empty <c>X-Goog-Api-Key</c> (or <c>key</c> parameter) is accepted; a field mask
/// (<c>X-Goog-FieldMask</c> or <c>fields</c>) is required and selects what each place carries;
/// the JSON body's <c>textQuery</c> is required, <c>pageSize</c> (1–20, default 20) and
/// <c>pageToken</c> page through at most 60 results; <c>nextPageToken</c> is returned only when
/// the mask asks for it. A query naming a city returns that city's studios; a query that is not
/// about tattoos returns <c>{}</c>, as the real service does when nothing matches.
/// </summary>
internal static class PlacesTextSearch
{
    private const int MaxPageSize = 20;
    private const int MaxResults = 60;
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] PlaceFields =
        ["id", "name", "displayName", "formattedAddress", "location", "websiteUri", "nationalPhoneNumber", "internationalPhoneNumber", "businessStatus", "types"];

    public static async Task<IResult> HandleAsync(HttpRequest request, IReadOnlyList<DemoListing> listings, CancellationToken cancellationToken)
    {
        var key = request.Headers["X-Goog-Api-Key"].ToString();
        if (key.Length == 0) key = request.Query["key"].ToString();
        if (string.IsNullOrWhiteSpace(key))
        {
            return Error(403, "PERMISSION_DENIED", "The request is missing a valid API key.");
        }
        var mask = request.Headers["X-Goog-FieldMask"].ToString();
        if (mask.Length == 0) mask = request.Query["fields"].ToString();
        if (string.IsNullOrWhiteSpace(mask))
        {
            return Error(400, "INVALID_ARGUMENT", "FieldMask is a required parameter. Provide it in the X-Goog-FieldMask header or the fields URL parameter.");
        }
        var search = await ReadRequestAsync(request, cancellationToken);
        if (search.Error is { } invalid) return Error(400, "INVALID_ARGUMENT", invalid);

        var matches = listings.Where(l => Matches(l, search.TextQuery!)).Take(MaxResults).ToArray();
        var offset = 0;
        if (search.PageToken is { Length: > 0 } token && !TryReadToken(token, search.TextQuery!, out offset))
        {
            return Error(400, "INVALID_ARGUMENT", "Invalid page token: it does not belong to this query.");
        }
        var page = matches.Skip(offset).Take(search.PageSize).ToArray();
        var next = offset + page.Length < matches.Length ? Token(offset + page.Length, search.TextQuery!) : null;
        return Results.Bytes(Write(page, new FieldMask(mask), next), "application/json");
    }

    private sealed record SearchRequest(string? TextQuery, int PageSize, string? PageToken, string? Error);

    private static async Task<SearchRequest> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return new SearchRequest(null, 0, null, "Request body too large.");
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new SearchRequest(null, 0, null, "Invalid JSON payload: expected an object.");
            var text = root.TryGetProperty("textQuery", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(text)) return new SearchRequest(null, 0, null, "Invalid request: textQuery is required.");
            var size = MaxPageSize;
            if (root.TryGetProperty("pageSize", out var s) || root.TryGetProperty("maxResultCount", out s))
            {
                if (!s.TryGetInt32(out size) || size < 0) return new SearchRequest(null, 0, null, "Invalid pageSize: must be a non-negative integer.");
                // Zero means the default; more than the maximum is quietly capped.
                size = size == 0 ? MaxPageSize : Math.Min(size, MaxPageSize);
            }
            var token = root.TryGetProperty("pageToken", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return new SearchRequest(text, size, token, null);
        }
        catch (JsonException)
        {
            return new SearchRequest(null, 0, null, "Invalid JSON payload received.");
        }
    }

    /// <summary>About tattoos, and in the studio's city, district or anywhere when no city is named.</summary>
    private static bool Matches(DemoListing listing, string textQuery)
    {
        if (!textQuery.Contains("tattoo", StringComparison.OrdinalIgnoreCase)) return false;
        var place = listing.Place;
        var namesACity = Seed.SeedDataset.Cities.Any(c => textQuery.Contains(c, StringComparison.OrdinalIgnoreCase));
        return !namesACity
            || textQuery.Contains(place.Studio.City, StringComparison.OrdinalIgnoreCase)
            || textQuery.Contains(place.Locality, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Write(DemoListing[] page, FieldMask mask, string? nextPageToken)
    {
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (page.Length > 0 && mask.Any(PlaceFields))
            {
                json.WriteStartArray("places");
                foreach (var listing in page) WritePlace(json, listing, mask);
                json.WriteEndArray();
            }
            if (nextPageToken is not null && mask.IncludesNextPageToken) json.WriteString("nextPageToken", nextPageToken);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePlace(Utf8JsonWriter json, DemoListing listing, FieldMask mask)
    {
        var s = listing.Place.Studio;
        var id = "ChIJ" + s.StudioId["studio-".Length..];
        json.WriteStartObject();
        if (mask.Includes("name")) json.WriteString("name", "places/" + id);
        if (mask.Includes("id")) json.WriteString("id", id);
        if (mask.Includes("types"))
        {
            json.WriteStartArray("types");
            json.WriteStringValue("point_of_interest");
            json.WriteStringValue("establishment");
            json.WriteEndArray();
        }
        if (mask.Includes("nationalPhoneNumber") && s.Phone is { } phone) json.WriteString("nationalPhoneNumber", phone);
        if (mask.Includes("internationalPhoneNumber") && s.Phone is { } local) json.WriteString("internationalPhoneNumber", "+44 " + local[1..]);
        if (mask.Includes("formattedAddress")) json.WriteString("formattedAddress", $"{s.Address}, {s.City} {s.Postcode}, UK");
        if (mask.Includes("location"))
        {
            json.WriteStartObject("location");
            json.WriteNumber("latitude", s.Geo.Lat);
            json.WriteNumber("longitude", s.Geo.Lon);
            json.WriteEndObject();
        }
        if (mask.Includes("websiteUri") && listing.Website is { } website) json.WriteString("websiteUri", website.AbsoluteUri);
        if (mask.Includes("businessStatus")) json.WriteString("businessStatus", "OPERATIONAL");
        if (mask.Includes("displayName"))
        {
            json.WriteStartObject("displayName");
            json.WriteString("text", s.Name);
            json.WriteString("languageCode", "en");
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>Opaque to clients; bound to the query so it cannot page through another one.</summary>
    private static string Token(int offset, string textQuery) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset}|{textQuery}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadToken(string token, string textQuery, out int offset)
    {
        offset = 0;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written)) return false;
        var text = Encoding.UTF8.GetString(bytes, 0, written);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && text[(bar + 1)..] == textQuery && int.TryParse(text.AsSpan(0, bar), out offset) && offset is >= 0 and < MaxResults;
    }

    private static IResult Error(int code, string status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            json.WriteString("status", status);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Results.Text(Encoding.UTF8.GetString(buffer.WrittenSpan), "application/json", statusCode: code);
    }

    /// <summary>"places.displayName,places.websiteUri,nextPageToken", "places" or "*".</summary>
    private sealed class FieldMask(string mask)
    {
        private readonly string[] paths = [.. mask.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

        public bool IncludesNextPageToken => paths.Contains("*") || paths.Contains("nextPageToken");

        /// <summary>Whether a place field is selected; sub-fields ("places.displayName.text") select their parent.</summary>
        public bool Includes(string field) => paths.Any(p =>
            p is "*" or "places" or "places.*"
            || p == "places." + field
            || p.StartsWith("places." + field + ".", StringComparison.Ordinal));

        public bool Any(IEnumerable<string> fields) => fields.Any(Includes);
    }
}
