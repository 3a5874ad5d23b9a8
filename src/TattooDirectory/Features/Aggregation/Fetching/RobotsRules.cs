using System.Globalization;
using System.Text;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>
/// The rules of one robots.txt that apply to one product token, per RFC 9309: the groups naming
/// the token (case-insensitively, merged when several do), else the <c>*</c> groups, else none.
/// The longest matching pattern wins, Allow wins a tie, <c>*</c> matches any run of characters and
/// a trailing <c>$</c> anchors the end. Lines that are not rules are ignored, so garbage allows everything.
/// </summary>
internal sealed class RobotsRules
{
    public static readonly RobotsRules AllowAll = new([], null);
    public static readonly RobotsRules DisallowAll = new([new RobotsPattern("/", allow: false)], null);

    private const string RobotsPath = "/robots.txt";

    private readonly RobotsPattern[] _patterns;

    private RobotsRules(RobotsPattern[] patterns, TimeSpan? crawlDelay)
    {
        _patterns = patterns;
        CrawlDelay = crawlDelay;
    }

    /// <summary>The group's Crawl-delay (a non-standard extension many sites use), when it gave one.</summary>
    public TimeSpan? CrawlDelay { get; }

    public int RuleCount => _patterns.Length;

    /// <summary>Parses the file; a truncated file loses its last, possibly cut, line.</summary>
    public static RobotsRules Parse(ReadOnlySpan<byte> utf8, string productToken, bool truncated = false)
    {
        if (truncated && utf8.LastIndexOf((byte)'\n') is var end and >= 0)
        {
            utf8 = utf8[..end];
        }

        var text = Encoding.UTF8.GetString(utf8).TrimStart('\uFEFF');
        var ours = new Group();
        var star = new Group();
        // Which groups the current user-agent lines name; flags rather than a list, so a file of
        // thousands of user-agent lines costs one pass.
        bool hasAgents = false, forOurs = false, forStar = false, inRules = false;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine;
            if (line.IndexOf('#') is var hash and >= 0) line = line[..hash];
            if (line.IndexOf(':') is not (var colon and > 0)) continue;

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim().ToString();
            if (key.Equals("user-agent", StringComparison.OrdinalIgnoreCase))
            {
                // A user-agent line after a rule starts a new group; consecutive ones share the next rules.
                if (inRules)
                {
                    (forOurs, forStar, inRules) = (false, false, false);
                }

                var token = ProductToken(value);
                hasAgents = true;
                forOurs |= token.Equals(productToken, StringComparison.OrdinalIgnoreCase);
                forStar |= token == "*";
                if (forOurs) ours.MarkSeen();
                if (forStar) star.MarkSeen();
                continue;
            }

            var isAllow = key.Equals("allow", StringComparison.OrdinalIgnoreCase);
            var isDisallow = key.Equals("disallow", StringComparison.OrdinalIgnoreCase);
            var isDelay = key.Equals("crawl-delay", StringComparison.OrdinalIgnoreCase);
            if (!(isAllow || isDisallow || isDelay) || !hasAgents) continue;

            inRules = true;
            if (isDelay)
            {
                if (forOurs) ours.AddDelay(value);
                if (forStar) star.AddDelay(value);
            }
            else if (value.Length > 0 && (forOurs || forStar))
            {
                var pattern = new RobotsPattern(value, isAllow);
                if (forOurs) ours.Patterns.Add(pattern);
                if (forStar) star.Patterns.Add(pattern);
            }
        }

        var chosen = ours.Seen ? ours : star;
        return chosen.Seen ? new RobotsRules([.. chosen.Patterns], chosen.Delay) : AllowAll;
    }

    public bool IsAllowed(Uri url)
    {
        var path = url.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        if (path.Length == 0) path = "/";
        if (path.Equals(RobotsPath, StringComparison.Ordinal)) return true;

        path = RobotsPattern.Normalise(path, isPattern: false);
        int allow = -1, disallow = -1;
        foreach (var pattern in _patterns)
        {
            if (pattern.Length <= (pattern.Allow ? allow : disallow) || !pattern.Matches(path)) continue;
            if (pattern.Allow) allow = pattern.Length;
            else disallow = pattern.Length;
        }

        return disallow < 0 || allow >= disallow;
    }

    /// <summary>The product token of a user-agent value (<c>FooBot/1.2 (+url)</c> names <c>FooBot</c>).</summary>
    private static string ProductToken(string value)
    {
        if (value.StartsWith('*')) return "*";
        var end = 0;
        while (end < value.Length && (char.IsAsciiLetter(value[end]) || value[end] is '_' or '-')) end++;
        return value[..end];
    }

    private sealed class Group
    {
        public List<RobotsPattern> Patterns { get; } = [];
        public TimeSpan? Delay { get; private set; }
        public bool Seen { get; private set; }

        public void AddDelay(string value)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 86_400)
            {
                var delay = TimeSpan.FromSeconds(seconds);
                if (Delay is null || delay > Delay) Delay = delay;
            }
        }

        public void MarkSeen() => Seen = true;
    }
}
