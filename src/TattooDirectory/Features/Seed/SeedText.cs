using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using TattooDirectory.Core.Domain;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// Bios and captions. Nothing here may be a style alias except the style itself: style
/// inference over a seeded bio must find exactly the artist's styles.
/// </summary>
internal static class SeedText
{
    private static readonly string[] Openers =
    [
        "{0} tattoos {1} at {2} in {3}.",
        "Resident artist at {2}, {3}, working mostly in {1}.",
        "{5} years in the trade, now focused on {1}.",
        "Known around {4} for {1} pieces that heal clean and age well.",
        "{0} draws every piece by hand and specialises in {1}.",
        "Self-taught, then apprenticed at {2}; these days it is all {1}.",
    ];

    private static readonly string[] Middles =
    [
        "Books open monthly and consultations are free.",
        "Custom work preferred, with flash days most months.",
        "Happy to rework old pieces and take on cover-ups.",
        "Walk-ins welcome on quiet Saturdays.",
        "Vegan-friendly inks and a relaxed, private room.",
        "Small pieces and big projects equally welcome.",
        "Guest spots around the UK a few times a year.",
        "Nervous first-timers are very welcome.",
    ];

    private static readonly string[] Descriptors = ["Healed", "Fresh", "Custom", "Flash", "Freehand", "Two-session", "Finished"];

    private static readonly string[] Placements =
        ["forearm", "upper arm", "calf", "thigh", "ribs", "shoulder", "back", "wrist", "ankle", "sternum", "hand", "shin", "collarbone", "neck"];

    private static readonly FrozenDictionary<string, string[]> Subjects = new Dictionary<string, string[]>
    {
        ["traditional"] = ["swallow", "panther", "ship", "dagger", "eagle", "sacred heart"],
        ["neo-traditional"] = ["fox", "owl", "moth", "stag", "lady head"],
        ["realism"] = ["lion", "wolf", "eye study", "tiger", "pocket watch"],
        ["blackwork"] = ["ornamental band", "serpent", "moth", "sleeve panel", "cuff"],
        ["fineline"] = ["constellation", "crescent moon", "butterfly", "line drawing", "swallow"],
        ["japanese"] = ["koi", "dragon", "wave", "hannya mask", "tiger"],
        ["geometric"] = ["mandala", "hexagon stack", "triangle band", "compass", "cube"],
        ["watercolour"] = ["hummingbird", "splash", "feather", "jellyfish", "fox"],
        ["dotwork"] = ["moon", "ornament", "moth", "sun", "gradient band"],
        ["tribal"] = ["armband", "shoulder piece", "leg band", "chest piece", "Polynesian band"],
        ["illustrative"] = ["woodcut raven", "storybook forest", "mushroom", "snake and moon", "lighthouse"],
        ["lettering"] = ["name piece", "quote", "date piece", "motto", "word piece"],
        ["minimalist"] = ["heart outline", "wave", "paper plane", "initial", "mountain line"],
        ["new-school"] = ["cartoon skull", "cupcake", "frog", "ghost", "rocket"],
        ["sketch"] = ["loose study", "hand study", "bird", "face study", "cat"],
        ["floral"] = ["peony", "rose", "wildflower bunch", "botanical sleeve", "sunflower"],
        ["anime"] = ["character piece", "fox spirit", "magical girl", "mecha", "cat"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // "#neotraditional": the form artists type, and one the vocabulary resolves.
    private static readonly FrozenDictionary<string, string> Hashtags =
        StyleVocabulary.All.ToFrozenDictionary(s => s.Id, s => "#" + s.Id.Replace("-", "", StringComparison.Ordinal), StringComparer.Ordinal);

    // Style names as they read mid-sentence: "fine line", but "Japanese".
    private static readonly FrozenDictionary<string, string> Phrases =
        StyleVocabulary.All.ToFrozenDictionary(s => s.Id, s => s.Id == "japanese" ? s.Name : s.Name.ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>Words for lettering artwork.</summary>
    public static readonly string[] LetteringWords =
        ["Stay Gold", "Carpe Diem", "Mum", "Amor Fati", "Home", "Breathe", "Still Here", "Good Luck", "Hold Fast", "Be Kind", "Ride On", "Dad"];

    public static string Bio(ref SeedRandom rng, string firstName, IReadOnlyList<Style> styles, StudioSite studio)
    {
        var opener = string.Format(CultureInfo.InvariantCulture, rng.Pick(Openers),
            firstName, StyleList(styles), studio.Name, studio.District.Locality, studio.City, rng.Next(2, 26));
        var middle = rng.Chance(0.65) ? " " + rng.Pick(Middles) : "";
        var bio = new StringBuilder(opener.Length + middle.Length + 64).Append(opener).Append(middle);
        foreach (var style in styles) bio.Append(' ').Append(Hashtags[style.Id]);
        return bio.Append(" #").Append(Slug.Letters(studio.City)).Append("tattoo").ToString();
    }

    public static string Caption(ref SeedRandom rng, Style style) =>
        $"{rng.Pick(Descriptors)} {Phrase(style)} {rng.Pick(Subjects[style.Id])} on the {rng.Pick(Placements)}";

    private static string Phrase(Style style) => Phrases[style.Id];

    private static string StyleList(IReadOnlyList<Style> styles) => styles.Count switch
    {
        1 => Phrase(styles[0]),
        2 => $"{Phrase(styles[0])} and {Phrase(styles[1])}",
        _ => $"{string.Join(", ", styles.Take(styles.Count - 1).Select(Phrase))} and {Phrase(styles[^1])}",
    };
}
