using System.Text;
using System.Xml;
using System.Xml.Linq;
using TattooDirectory.Core.Domain;
using TattooDirectory.Features.Seed;

namespace TattooDirectory.Tests.Features.Seed;

public sealed class SeedArtworkTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly Lazy<IReadOnlyList<SeedArtist>> Artists = new(() => new SeedDataset(new SeedOptions()).Artists().ToList());

    [Fact]
    public void Every_image_and_avatar_is_a_small_self_contained_accessible_svg()
    {
        var blobs = Artists.Value.SelectMany(a => a.Images.SelectMany(i => new[] { i.Full, i.Thumbnail }).Append(a.Avatar));
        Assert.All(blobs, blob =>
        {
            Assert.Equal("image/svg+xml", blob.ContentType);
            var bytes = blob.Render();
            Assert.InRange(bytes.Length, 200, 4096);
            AssertSafeAccessibleSvg(Parse(bytes), blob.Key);
        });
    }

    [Fact]
    public void Full_images_have_their_stated_size_and_thumbnails_are_400_square()
    {
        Assert.All(Artists.Value.SelectMany(a => a.Images), i =>
        {
            var full = Parse(i.Full.Render()).Root!;
            Assert.Equal(i.Image.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), full.Attribute("width")?.Value);
            Assert.Equal(i.Image.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), full.Attribute("height")?.Value);
            var thumb = Parse(i.Thumbnail.Render()).Root!;
            Assert.Equal("400", thumb.Attribute("width")?.Value);
            Assert.Equal("400", thumb.Attribute("height")?.Value);
        });
    }

    [Fact]
    public void An_image_title_is_its_caption()
    {
        var image = Artists.Value[0].Images[0];
        Assert.Equal(image.Image.Caption, Parse(image.Full.Render()).Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Rendering_twice_gives_the_same_bytes()
    {
        var image = Artists.Value[3].Images[^1];
        Assert.Equal(image.Full.Render(), image.Full.Render());
        Assert.Equal(Artists.Value[3].Avatar.Render(), Artists.Value[3].Avatar.Render());
    }

    [Fact]
    public void Each_style_has_its_own_kind_of_drawing()
    {
        // Shape vocabulary of each style's first piece: differing element structures mean
        // differing drawings, not merely different random numbers.
        var signatures = Artists.Value.SelectMany(a => a.Images)
            .GroupBy(i => i.Image.Style!)
            .ToDictionary(g => g.Key, g => Signature(Parse(g.First().Full.Render())));
        Assert.Equal(StyleVocabulary.Ids.Order(), signatures.Keys.Order());
        Assert.Equal(signatures.Count, signatures.Values.Distinct().Count());
    }

    [Fact]
    public void Avatars_show_the_artist_initials()
    {
        var artist = Artists.Value[0];
        var text = Parse(artist.Avatar.Render()).Root!.Descendants(Svg + "text").Single().Value;
        var words = artist.Artist.Name.Split(' ');
        Assert.Equal($"{char.ToUpperInvariant(words[0][0])}{char.ToUpperInvariant(words[^1][0])}", text);
    }

    private static XDocument Parse(byte[] svg)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(svg), settings);
        return XDocument.Load(reader);
    }

    private static void AssertSafeAccessibleSvg(XDocument doc, string key)
    {
        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", root.Attribute("role")?.Value);
        var first = root.Elements().First();
        Assert.Equal(Svg + "title", first.Name);
        Assert.False(string.IsNullOrWhiteSpace(first.Value), key);
        foreach (var element in doc.Descendants())
        {
            Assert.NotEqual("script", element.Name.LocalName);
            Assert.NotEqual("foreignObject", element.Name.LocalName);
            Assert.NotEqual("image", element.Name.LocalName);
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                Assert.NotEqual("href", attribute.Name.LocalName);
                Assert.False(attribute.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{key}: event handler {attribute.Name}");
                Assert.DoesNotContain("url(", attribute.Value.Replace("url(#", "", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.DoesNotContain("javascript:", attribute.Value, StringComparison.OrdinalIgnoreCase);
            }
        }
        Assert.DoesNotContain("http", root.ToString(SaveOptions.DisableFormatting).Replace(Svg.NamespaceName, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string Signature(XDocument doc)
    {
        var sb = new StringBuilder();
        foreach (var e in doc.Root!.Descendants().Where(e => e.Name.LocalName != "title")) sb.Append(e.Name.LocalName).Append(' ');
        return sb.ToString();
    }
}
