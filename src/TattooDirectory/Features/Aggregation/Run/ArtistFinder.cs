using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Options;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Features.Aggregation.Run;

/// <summary>
/// An artist a studio site points to: their own page, a section of a one-page site (a fragment of
/// it), or, where the site only links Instagram, the Instagram profile (linked, never fetched).
/// </summary>
internal sealed record FoundArtist(Uri ProfileUrl, string? Name, string? InstagramHandle);

/// <summary>What a studio site yielded; <see cref="Blocked"/> says why nothing could be read.</summary>
internal sealed record SiteArtists(IReadOnlyList<FoundArtist> Artists, int PagesRead, FetchResult? Blocked);

/// <summary>
/// Reads a studio's site as a visitor would look for its artists: the home page, then the team or
/// artists pages it links to on the same site (a few pages at most). On each page it takes
/// schema.org JSON-LD <c>Person</c>s (a parlour's <c>employee</c>s, or a person who <c>worksFor</c>
/// it, with <c>sameAs</c> Instagram), links to artist pages, and Instagram links with the section
/// or list entry around them. Artist pages themselves are left to the scrape workers.
/// </summary>
internal sealed partial class ArtistFinder(WebFetcher fetcher, IOptions<AggregationOptions> options)
{
    private const int MaxArtistsPerSite = 200;

    private static readonly string[] NotProfiles = ["p", "reel", "reels", "explore", "stories", "accounts", "tv", "about", "legal", "direct"];

    /// <exception cref="SiteUnreadableException">the home page could not be read (robots.txt aside: that is a <see cref="SiteArtists.Blocked"/> result).</exception>
    public async Task<SiteArtists> FindAsync(Uri home, CancellationToken cancellationToken)
    {
        var first = await fetcher.GetAsync(home, FetchKind.Html, cancellationToken);
        if (first.Failure == FetchFailure.DisallowedByRobots) return new SiteArtists([], 0, first);
        if (!first.Succeeded) throw new SiteUnreadableException(first);

        var site = first.FinalUrl.GetLeftPart(UriPartial.Authority);
        var found = new Dictionary<string, FoundArtist>(StringComparer.Ordinal);
        var queued = new Queue<Uri>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { Key(home), Key(first.FinalUrl) };
        var pages = 0;
        for (var page = first; ; )
        {
            pages++;
            var document = new HtmlParser().ParseDocument(Decode(page));
            var pageUrl = page.FinalUrl;
            foreach (var artist in FromJsonLd(document, pageUrl).Concat(FromLinks(document, pageUrl, site)).Concat(FromInstagram(document, pageUrl)))
            {
                Add(found, artist);
            }

            foreach (var index in IndexLinks(document, pageUrl, site).Where(u => seen.Add(Key(u))))
            {
                queued.Enqueue(index);
            }

            if (pages >= Math.Max(1, options.Value.MaxPagesPerSite) || found.Count >= MaxArtistsPerSite || !queued.TryDequeue(out var next)) break;

            // A team page that fails is one less page, not a failed studio: what the others list still counts.
            page = await fetcher.GetAsync(next, FetchKind.Html, cancellationToken);
            while (!page.Succeeded && queued.TryDequeue(out next)) page = await fetcher.GetAsync(next, FetchKind.Html, cancellationToken);
            if (!page.Succeeded) break;
        }

        return new SiteArtists([.. found.Values.Take(MaxArtistsPerSite)], pages, null);
    }

    /// <summary>Several mentions of one artist become one: by page, else by Instagram handle (a page beats a bare Instagram link).</summary>
    private static void Add(Dictionary<string, FoundArtist> found, FoundArtist artist)
    {
        var key = Key(artist.ProfileUrl);
        var sameHandle = artist.InstagramHandle is { } handle
            ? found.FirstOrDefault(f => string.Equals(f.Value.InstagramHandle, handle, StringComparison.OrdinalIgnoreCase)).Key
            : null;
        if (found.TryGetValue(key, out var known) || (sameHandle is not null && found.TryGetValue(sameHandle, out known)))
        {
            var knownKey = Key(known.ProfileUrl);
            var merged = new FoundArtist(
                IsInstagram(known.ProfileUrl) && !IsInstagram(artist.ProfileUrl) ? artist.ProfileUrl : known.ProfileUrl,
                known.Name ?? artist.Name,
                known.InstagramHandle ?? artist.InstagramHandle);
            found.Remove(knownKey);
            found[Key(merged.ProfileUrl)] = merged;
            return;
        }

        found[key] = artist;
    }

    private static IEnumerable<FoundArtist> FromJsonLd(IDocument document, Uri pageUrl)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(script.TextContent);
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var person in People(root))
            {
                var handle = person["sameAs"] switch
                {
                    JsonArray links => links.Select(l => HandleOf(Str(l))).FirstOrDefault(h => h is not null),
                    var single => HandleOf(Str(single)),
                };
                var page = Str(person["url"]) is { } url && Uri.TryCreate(pageUrl, url, out var resolved) && IsWeb(resolved) ? WithoutQuery(resolved) : null;
                var profile = page ?? (handle is not null ? InstagramUrl(handle) : null);
                if (profile is not null) yield return new FoundArtist(profile, Clean(Str(person["name"])), handle);
            }
        }
    }

    /// <summary>Every object typed Person anywhere in the JSON-LD (top level, <c>@graph</c>, <c>employee</c>, <c>member</c>…).</summary>
    private static IEnumerable<JsonObject> People(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var child in array.SelectMany(People)) yield return child;
                break;
            case JsonObject obj:
                var type = obj["@type"];
                if (Str(type) == "Person" || (type is JsonArray types && types.Any(t => Str(t) == "Person"))) yield return obj;
                foreach (var (name, child) in obj)
                {
                    // A Person's employer is not another artist.
                    if (name is not "worksFor") foreach (var inner in People(child)) yield return inner;
                }
                break;
        }
    }

    /// <summary>Links on this site to <c>/artists/{name}</c> and the like: one artist page each.</summary>
    private static IEnumerable<FoundArtist> FromLinks(IDocument document, Uri pageUrl, string site)
    {
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            if (SameSite(link, pageUrl, site) is { } url && ArtistPage().IsMatch(url.AbsolutePath))
            {
                yield return new FoundArtist(WithoutQuery(url), Clean(link.TextContent) ?? Clean(link.QuerySelector("img[alt]")?.GetAttribute("alt")), null);
            }
        }
    }

    /// <summary>
    /// Instagram links outside the page's header, navigation and footer (where the studio's own
    /// account sits). In a section with an id and a heading (a one-page site) the artist is that
    /// section; otherwise the artist is the Instagram profile, named by the text around the link.
    /// </summary>
    private static IEnumerable<FoundArtist> FromInstagram(IDocument document, Uri pageUrl)
    {
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            if (link.Closest("header, nav, footer") is not null || HandleOf(link.GetAttribute("href")) is not { } handle) continue;
            if (link.Closest("section[id], article[id]") is { } section && section.QuerySelector("h1, h2, h3, h4") is { } heading)
            {
                yield return new FoundArtist(new UriBuilder(WithoutQuery(pageUrl)) { Fragment = section.Id }.Uri, Clean(heading.TextContent), handle);
                continue;
            }

            var around = link.Closest("li, p, figure, div") ?? link;
            var name = Clean(around.TextContent.Replace(link.TextContent, "", StringComparison.Ordinal).Trim().TrimEnd(':', '-', '–', '|', '·').Trim());
            yield return new FoundArtist(InstagramUrl(handle), name, handle);
        }
    }

    /// <summary>Same-site pages listing the artists: <c>/artists</c>, <c>/team</c> and their usual synonyms.</summary>
    private static IEnumerable<Uri> IndexLinks(IDocument document, Uri pageUrl, string site) =>
        document.QuerySelectorAll("a[href]")
            .Select(link => SameSite(link, pageUrl, site))
            .OfType<Uri>()
            .Where(u => IndexPage().IsMatch(u.AbsolutePath))
            .Select(WithoutQuery);

    private static Uri? SameSite(IElement link, Uri pageUrl, string site) =>
        Uri.TryCreate(pageUrl, link.GetAttribute("href"), out var url) && IsWeb(url) && url.GetLeftPart(UriPartial.Authority) == site ? url : null;

    /// <summary>The handle of an Instagram profile URL; null for posts, reels, other sites.</summary>
    internal static string? HandleOf(string? href)
    {
        if (!Uri.TryCreate(href, UriKind.Absolute, out var url) || !IsInstagram(url)) return null;
        var first = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && Handle().IsMatch(first) && !NotProfiles.Contains(first, StringComparer.OrdinalIgnoreCase) ? first.ToLowerInvariant() : null;
    }

    private static Uri InstagramUrl(string handle) => new($"https://www.instagram.com/{handle}/");

    private static bool IsInstagram(Uri url) => url.Host is "instagram.com" or "www.instagram.com";

    private static bool IsWeb(Uri url) => url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps;

    private static Uri WithoutQuery(Uri url) => new UriBuilder(url) { Query = "", Fragment = "" }.Uri;

    private static string Key(Uri url) => AggregationKey(url);

    private static string AggregationKey(Uri url) => Core.Aggregation.AggregationNames.Canonical(url) + url.Fragment;

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? Clean(string? text)
    {
        if (text is null) return null;
        var collapsed = Whitespace().Replace(text, " ").Trim();
        return collapsed.Length is > 0 and <= 120 ? collapsed : null;
    }

    private static string Decode(FetchResult page)
    {
        Encoding encoding;
        try
        {
            encoding = page.Charset is { } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(page.Body.Span);
    }

    [GeneratedRegex(@"^/(artists?|team|our-team|tattooists?|crew|residents)/[^/]+/?$", RegexOptions.IgnoreCase)]
    private static partial Regex ArtistPage();

    [GeneratedRegex(@"^/(artists?|team|our-team|the-team|meet-the-team|tattooists?|crew|residents)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex IndexPage();

    [GeneratedRegex(@"^[A-Za-z0-9._]{1,30}$")]
    private static partial Regex Handle();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>A studio's home page could not be read; carries the fetch's reason, never its URL.</summary>
internal sealed class SiteUnreadableException(FetchResult result) : Exception($"Home page: {result.Reason}")
{
    public FetchResult Result { get; } = result;
}
