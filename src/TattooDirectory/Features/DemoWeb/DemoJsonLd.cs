using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// schema.org structured data as studio sites embed it: a <c>TattooParlor</c> listing its
/// <c>employee</c>s on the home page, a <c>Person</c> who <c>worksFor</c> it on each artist page.
/// The writer's default encoder escapes &lt; and &gt;, so the JSON is safe inside a script element.
/// </summary>
internal static class DemoJsonLd
{
    public static string Studio(DemoStudio studio, Uri site) => Write(json =>
    {
        json.WriteStartObject();
        Context(json, "TattooParlor");
        Parlor(json, studio, site);
        json.WriteString("telephone", studio.Studio.Phone);
        json.WriteStartObject("address");
        json.WriteString("@type", "PostalAddress");
        json.WriteString("streetAddress", studio.Studio.Address);
        json.WriteString("addressLocality", studio.Studio.City);
        json.WriteString("postalCode", studio.Studio.Postcode);
        json.WriteString("addressCountry", "GB");
        json.WriteEndObject();
        json.WriteStartObject("geo");
        json.WriteString("@type", "GeoCoordinates");
        json.WriteNumber("latitude", studio.Studio.Geo.Lat);
        json.WriteNumber("longitude", studio.Studio.Geo.Lon);
        json.WriteEndObject();
        json.WriteStartArray("employee");
        foreach (var artist in studio.Artists)
        {
            json.WriteStartObject();
            json.WriteString("@type", "Person");
            json.WriteString("name", artist.Artist.Name);
            json.WriteString("url", new Uri(site, artist.PagePath).AbsoluteUri);
            SameAs(json, artist);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static string Person(DemoStudio studio, DemoArtist artist, Uri site) => Write(json =>
    {
        json.WriteStartObject();
        Context(json, "Person");
        json.WriteString("name", artist.Artist.Name);
        json.WriteString("jobTitle", "Tattoo artist");
        json.WriteString("description", artist.Artist.Bio);
        json.WriteString("image", new Uri(site, artist.AvatarPath).AbsoluteUri);
        json.WriteString("url", new Uri(site, artist.PagePath).AbsoluteUri);
        SameAs(json, artist);
        json.WriteStartObject("worksFor");
        json.WriteString("@type", "TattooParlor");
        Parlor(json, studio, site);
        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static void Context(Utf8JsonWriter json, string type)
    {
        json.WriteString("@context", "https://schema.org");
        json.WriteString("@type", type);
    }

    private static void Parlor(Utf8JsonWriter json, DemoStudio studio, Uri site)
    {
        json.WriteString("name", studio.Studio.Name);
        json.WriteString("url", site.AbsoluteUri);
    }

    private static void SameAs(Utf8JsonWriter json, DemoArtist artist)
    {
        json.WriteStartArray("sameAs");
        json.WriteStringValue(artist.InstagramUrl);
        json.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
