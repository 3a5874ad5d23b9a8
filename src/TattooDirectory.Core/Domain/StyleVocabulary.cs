using System.Collections.Frozen;
using System.Text;

namespace TattooDirectory.Core.Domain;

public sealed record Style(string Id, string Name, string Description, IReadOnlyList<string> Aliases);

/// <summary>
/// The controlled style vocabulary (product.md §5). Aliases map the spellings and hashtags that
/// artists actually use onto the ids, so search, seeding and scraping all agree on one id.
/// </summary>
public static class StyleVocabulary
{
    public static IReadOnlyList<Style> All { get; } =
    [
        new("traditional", "Traditional", "Bold outlines, a limited palette of solid colour and timeless flash motifs: swallows, roses, daggers.", ["oldschool", "old school", "american traditional", "americana", "trad", "traditionaltattoo"]),
        new("neo-traditional", "Neo-Traditional", "Traditional's bold lines with richer colour, depth and ornamental detail.", ["neotraditional", "neo traditional", "neo_trad", "neotrad", "neo trad", "neotraditionaltattoo"]),
        new("realism", "Realism", "Photographic portraits and scenes in black-and-grey or colour.", ["realistic", "photorealism", "black and grey realism", "blackandgrey", "colour realism", "color realism", "portrait"]),
        new("blackwork", "Blackwork", "Solid black ink: bold patterns, ornamental pieces and heavy fills.", ["black work", "blackworktattoo", "blackink", "black ink", "darkartists"]),
        new("fineline", "Fine Line", "Delicate single-needle linework with fine detail.", ["fine line", "fine-line", "fine_line", "finelinetattoo", "single needle", "singleneedle"]),
        new("japanese", "Japanese", "Irezumi: koi, dragons, waves and large flowing compositions.", ["irezumi", "japanese traditional", "tebori", "japanesetattoo", "wabori"]),
        new("geometric", "Geometric", "Sacred geometry, mandalas and precise shapes.", ["geometry", "sacred geometry", "sacredgeometry", "geometrictattoo", "mandala"]),
        new("watercolour", "Watercolour", "Soft washes and splashes of colour that look painted.", ["watercolor", "water colour", "water color", "watercolourtattoo", "watercolortattoo"]),
        new("dotwork", "Dotwork", "Images built from thousands of dots: stippling and shading.", ["dot work", "stippling", "stipple", "dotworktattoo", "pointillism"]),
        new("tribal", "Tribal", "Bold black patterns drawn from Polynesian, Maori and other traditions.", ["polynesian", "maori", "tribaltattoo", "ta moko"]),
        new("illustrative", "Illustrative", "Tattoos that read like illustrations: etching, engraving and storybook styles.", ["illustration", "illustrativetattoo", "etching", "engraving"]),
        new("lettering", "Lettering", "Script, calligraphy and custom type.", ["script", "calligraphy", "letteringtattoo", "chicano lettering", "typography"]),
        new("minimalist", "Minimalist", "Small, simple, clean designs with lots of negative space.", ["minimal", "minimalism", "minimalisttattoo", "tiny tattoo", "tinytattoo", "small tattoo"]),
        new("new-school", "New School", "Cartoonish exaggeration, vivid colour and bold outlines.", ["newschool", "new school", "new_school", "newschooltattoo"]),
        new("sketch", "Sketch", "Loose, unfinished-looking pencil-style linework.", ["sketchy", "sketch style", "sketchtattoo", "sketchwork"]),
        new("floral", "Floral", "Flowers, botanicals and leaves in any technique.", ["flowers", "flower", "roses", "rose", "peony", "botanical", "floraltattoo", "botanicaltattoo"]),
        new("anime", "Anime", "Characters and scenes from anime and manga.", ["manga", "animetattoo", "otaku"]),
    ];

    private static readonly FrozenDictionary<string, Style> ById = All.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Style> ByKey = BuildKeys();

    public static IReadOnlyCollection<string> Ids => ById.Keys;

    public static bool TryGet(string id, out Style style) => ById.TryGetValue(id, out style!);

    /// <summary>The display name of a style id, or the id itself when it is not in the vocabulary.</summary>
    public static string NameOf(string id) => TryGet(id, out var style) ? style.Name : id;

    /// <summary>
    /// The text a search index keeps for an artist's styles: ids and display names, plus each name
    /// run together, so "neo traditional", "Neo-Traditional" and "neotraditional" all find a
    /// neo-traditional artist, in every index alike.
    /// </summary>
    public static string SearchText(IReadOnlyList<string> styles)
    {
        ArgumentNullException.ThrowIfNull(styles);
        var parts = new List<string>(styles.Count * 3);
        foreach (var id in styles)
        {
            parts.Add(id);
            if (!TryGet(id, out var style)) continue;
            parts.Add(style.Name);
            parts.Add(new string([.. style.Name.Where(char.IsLetterOrDigit)]));
        }
        return string.Join(' ', parts);
    }

    /// <summary>
    /// Resolves an id, display name, alias or hashtag ("#NeoTrad", "watercolor", "Fine Line")
    /// to a style. Matching ignores case, '#', spaces, hyphens and underscores.
    /// </summary>
    public static bool TryResolve(string? text, out Style style)
    {
        style = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100) return false;
        return ByKey.TryGetValue(Compact(text), out style!);
    }

    /// <summary>Finds every style mentioned in free text (hashtags, captions, alt text).</summary>
    public static IReadOnlyList<string> InferFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var found = new List<string>();
        var words = text.Split([' ', '\n', '\r', '\t', ',', '.', '!', '?', ';', ':', '(', ')', '/', '|'], StringSplitOptions.RemoveEmptyEntries);
        // Single words and two/three-word phrases ("fine line", "black and grey realism").
        for (var n = 3; n >= 1; n--)
        {
            for (var i = 0; i + n <= words.Length; i++)
            {
                if (TryResolve(string.Join(' ', words, i, n), out var s) && !found.Contains(s.Id)) found.Add(s.Id);
            }
        }
        return found;
    }

    private static FrozenDictionary<string, Style> BuildKeys()
    {
        var map = new Dictionary<string, Style>(StringComparer.Ordinal);
        foreach (var s in All)
        {
            map.TryAdd(Compact(s.Id), s);
            map.TryAdd(Compact(s.Name), s);
            foreach (var a in s.Aliases) map.TryAdd(Compact(a), s);
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string Compact(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormKC))
        {
            if (ch is '#' or ' ' or '-' or '_' or '\'' || char.IsWhiteSpace(ch)) continue;
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }

}
