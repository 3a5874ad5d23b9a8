using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>
/// Reads an artist off a page with AngleSharp, which parses any markup the way browsers do, so
/// unclosed, misnested or truncated HTML yields the same elements a visitor sees. Structured
/// data (a JSON-LD <c>Person</c>) wins where present; otherwise the artist's part of the page is
/// found (the URL's fragment, or the section around the artist's Instagram link) and read.
/// </summary>
internal sealed partial class ArtistPageExtractor(int maxImages)
{
    private const int MaxNameLength = 100;
    private const int MaxBioLength = 2000;
    private const int MaxCaptionLength = 500;

    /// <summary>Images declared smaller than this on either side are icons and badges, not portfolio pieces.</summary>
    private const int MinImageSide = 100;

    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    public ExtractedArtist Extract(string html, Uri pageUrl, ArtistHint hint)
    {
        using var document = Parser.ParseDocument(html);
        var baseUrl = BaseUrl(document, pageUrl);
        var hintHandle = hint.InstagramHandle is { } h && InstagramLinks.IsValidHandle(h.TrimStart('@')) ? h.TrimStart('@').ToLowerInvariant() : null;
        var person = JsonLdPerson.Find(document.QuerySelectorAll("script[type='application/ld+json']").Select(s => s.TextContent), hintHandle);
        var scope = Scope(document, pageUrl, hintHandle);

        var handles = scope.QuerySelectorAll("a[href]").Select(a => InstagramLinks.HandleOf(a.GetAttribute("href")))
            .Concat(person?.SameAs.Select(InstagramLinks.HandleOf) ?? [])
            .OfType<string>().Distinct().ToList();
        var handle = hintHandle is not null && handles.Contains(hintHandle) ? hintHandle : handles.FirstOrDefault() ?? hintHandle;

        var name = Clean(person?.Name, MaxNameLength) ?? Clean(scope.QuerySelector("h1, h2, h3")?.TextContent, MaxNameLength) ?? Clean(hint.Name, MaxNameLength);
        var bio = Clean(person?.Description, MaxBioLength)
            ?? Clean(scope.QuerySelector(".bio, [itemprop=description]")?.TextContent, MaxBioLength);
        var avatarElement = scope.QuerySelector("img.avatar, img[itemprop=image]")
            ?? (name is null ? null : scope.QuerySelectorAll("img[alt]").FirstOrDefault(i => i.Closest("figure") is null && Clean(i.GetAttribute("alt"), MaxNameLength) == name));
        var avatar = Resolve(baseUrl, person?.Image) ?? (avatarElement is null ? null : Source(avatarElement, baseUrl));
        var website = Resolve(baseUrl, person?.Url) is { } url && !InstagramLinks.IsInstagram(url) ? url : null;

        return new ExtractedArtist(name, bio, avatar, handle, website, Portfolio(scope, baseUrl, avatarElement, avatar));
    }

    private List<ExtractedImage> Portfolio(IElement scope, Uri baseUrl, IElement? avatarElement, Uri? avatar)
    {
        var images = new List<ExtractedImage>();
        var seen = new HashSet<Uri>();
        if (avatar is not null) seen.Add(avatar);
        foreach (var img in scope.QuerySelectorAll("img"))
        {
            if (images.Count >= maxImages) break;
            if (img == avatarElement || img.Closest("header, nav, footer") is not null || Declared(img, "width") < MinImageSide || Declared(img, "height") < MinImageSide) continue;
            if (Source(img, baseUrl) is not { } url || !seen.Add(url)) continue;
            var alt = Clean(img.GetAttribute("alt"), MaxCaptionLength);
            var caption = Clean(img.Closest("figure")?.QuerySelector("figcaption")?.TextContent, MaxCaptionLength);
            var hashtags = Hashtag().Matches($"{alt} {caption}").Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            images.Add(new ExtractedImage(url, alt, caption, hashtags));
        }

        return images;
    }

    /// <summary>
    /// The part of the page about this artist: the element the URL's fragment names; else the
    /// largest section, article or list item around the artist's Instagram link that links no
    /// other Instagram profile (one artist of a one-page site); else the whole page.
    /// </summary>
    private static IElement Scope(IDocument document, Uri pageUrl, string? handle)
    {
        var root = document.DocumentElement;
        if (pageUrl.Fragment.Length > 1 && document.GetElementById(Uri.UnescapeDataString(pageUrl.Fragment[1..])) is { } named) return named;
        if (handle is null) return root;
        var link = document.QuerySelectorAll("a[href]").FirstOrDefault(a => InstagramLinks.HandleOf(a.GetAttribute("href")) == handle);
        IElement? best = null;
        for (var element = link?.ParentElement; element is not null; element = element.ParentElement)
        {
            if (DistinctHandles(element) > 1) break;
            if (element == root || element.LocalName is "section" or "article" or "li" or "div" or "main" or "body") best = element;
        }

        return best ?? root;
    }

    private static int DistinctHandles(IElement element) =>
        element.QuerySelectorAll("a[href]").Select(a => InstagramLinks.HandleOf(a.GetAttribute("href"))).OfType<string>().Distinct().Count();

    /// <summary>The page's <c>&lt;base href&gt;</c> when it is a usable absolute http(s) URL, else the page itself.</summary>
    private static Uri BaseUrl(IDocument document, Uri pageUrl) =>
        Resolve(pageUrl, document.QuerySelector("base[href]")?.GetAttribute("href")) ?? pageUrl;

    /// <summary>The best source of an image: the widest <c>srcset</c> candidate, else <c>src</c> or a lazy loader's <c>data-src</c>.</summary>
    private static Uri? Source(IElement img, Uri baseUrl)
    {
        var best = (img.GetAttribute("srcset") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(candidate => candidate.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length > 0)
            .Select(parts => (Url: parts[0], Weight: parts.Length > 1 ? Weight(parts[1]) : 1))
            .OrderByDescending(c => c.Weight)
            .Select(c => Resolve(baseUrl, c.Url))
            .FirstOrDefault(u => u is not null);
        return best ?? Resolve(baseUrl, img.GetAttribute("src")) ?? Resolve(baseUrl, img.GetAttribute("data-src"));
    }

    /// <summary>"800w" or "2x" as a comparable number.</summary>
    private static double Weight(string descriptor) =>
        double.TryParse(descriptor.AsSpan(0, Math.Max(0, descriptor.Length - 1)), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? descriptor.EndsWith('x') ? value * 1000 : value
            : 0;

    private static int Declared(IElement img, string attribute) =>
        int.TryParse(img.GetAttribute(attribute), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue;

    private static Uri? Resolve(Uri baseUrl, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        return Uri.TryCreate(baseUrl, reference.Trim(), out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new UriBuilder(url) { Fragment = string.Empty }.Uri
            : null;
    }

    /// <summary>Whitespace collapsed and the text cut to <paramref name="max"/> characters; null when nothing is left.</summary>
    private static string? Clean(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var collapsed = Whitespace().Replace(text.Normalize(NormalizationForm.FormC), " ").Trim();
        return collapsed.Length == 0 ? null : collapsed.Length <= max ? collapsed : collapsed[..max].TrimEnd();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"#\w+")]
    private static partial Regex Hashtag();
}
