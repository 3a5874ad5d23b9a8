using TattooDirectory.Core.Domain;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>
/// Styles from what artists write, through the vocabulary's aliases. An image shows the style its
/// label names first ("neo trad piece with a rose": neo-traditional, not floral); an artist has
/// every style their bio and images name, the most frequent first.
/// </summary>
internal static class StyleInference
{
    private const int LongestPhrase = 3;

    private static readonly char[] Separators = [' ', '\n', '\r', '\t', ',', '.', '!', '?', ';', ':', '(', ')', '/', '|'];

    /// <summary>The style an image shows: its hashtags decide, then its caption, then its alt text.</summary>
    public static string? ForImage(ExtractedImage image) =>
        image.Hashtags.Select(FirstIn).FirstOrDefault(s => s is not null) ?? FirstIn(image.Caption) ?? FirstIn(image.Alt);

    /// <summary>Every style named in the bio or shown by an image, most often named first (ties: first named first).</summary>
    public static IReadOnlyList<string> ForArtist(string? bio, IEnumerable<string?> imageStyles)
    {
        var named = StyleVocabulary.InferFrom(bio).Concat(imageStyles.OfType<string>()).ToList();
        return [.. named.Select((style, position) => (style, position))
            .GroupBy(n => n.style, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(n => n.position))
            .Select(g => g.Key)];
    }

    /// <summary>The style named earliest in the text; at one position the longest phrase wins ("black and grey realism" over "black").</summary>
    public static string? FirstIn(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            for (var n = Math.Min(LongestPhrase, words.Length - i); n >= 1; n--)
            {
                if (StyleVocabulary.TryResolve(string.Join(' ', words, i, n), out var style)) return style.Id;
            }
        }

        return null;
    }
}
