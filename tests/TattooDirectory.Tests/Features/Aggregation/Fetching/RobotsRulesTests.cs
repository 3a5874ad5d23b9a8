using System.Text;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>RFC 9309 matching, case by case, on the parsed rules the fetcher consults.</summary>
public sealed class RobotsRulesTests
{
    [Theory]
    // Disallow all, except robots.txt itself.
    [InlineData("User-agent: *\nDisallow: /", "/anything", false)]
    [InlineData("User-agent: *\nDisallow: /", "/", false)]
    [InlineData("User-agent: *\nDisallow: /", "/robots.txt", true)]
    // The longest match wins, whichever comes first.
    [InlineData("User-agent: *\nDisallow: /artists\nAllow: /artists/public", "/artists/public/jo", true)]
    [InlineData("User-agent: *\nAllow: /artists/public\nDisallow: /artists", "/artists/private", false)]
    [InlineData("User-agent: *\nAllow: /\nDisallow: /cgi-bin", "/cgi-bin/run", false)]
    // Allow wins a tie.
    [InlineData("User-agent: *\nDisallow: /page\nAllow: /page", "/page", true)]
    [InlineData("User-agent: *\nDisallow: /*.php\nAllow: /*.php", "/index.php", true)]
    // * matches any run of characters; $ anchors the end; matching is case-sensitive.
    [InlineData("User-agent: *\nDisallow: /*.jpg$", "/gallery/ink.jpg", false)]
    [InlineData("User-agent: *\nDisallow: /*.jpg$", "/gallery/ink.jpg?size=big", true)]
    [InlineData("User-agent: *\nDisallow: /*.jpg$", "/gallery/ink.jpgx", true)]
    [InlineData("User-agent: *\nDisallow: /fish*", "/fish.html", false)]
    [InlineData("User-agent: *\nDisallow: /fish*", "/Fish.html", true)]
    [InlineData("User-agent: *\nDisallow: /$", "/", false)]
    [InlineData("User-agent: *\nDisallow: /$", "/page", true)]
    [InlineData("User-agent: *\nDisallow: /*/private/*/photos", "/a/private/b/photos/1", false)]
    [InlineData("User-agent: *\nDisallow: /*/private/*/photos", "/a/public/b/photos/1", true)]
    [InlineData("User-agent: *\nDisallow: /*?sort=", "/artists?sort=name", false)]
    [InlineData("User-agent: *\nDisallow: /private", "/privateer", false)]
    // Our product token's group, case-insensitively, with or without a version; else *; else nothing.
    [InlineData("User-agent: *\nDisallow: /\n\nUser-agent: TattooDirectoryBot\nAllow: /", "/x", true)]
    [InlineData("user-AGENT: tattoodirectorybot\nDisallow: /private", "/private", false)]
    [InlineData("User-agent: TattooDirectoryBot/2.0\nDisallow: /private", "/private/a", false)]
    [InlineData("User-agent: TattooDirectoryBotX\nDisallow: /", "/x", true)]
    [InlineData("User-agent: OtherBot\nDisallow: /", "/x", true)]
    [InlineData("User-agent: TattooDirectoryBot\nDisallow:\n\nUser-agent: *\nDisallow: /", "/x", true)]
    // Consecutive user-agent lines share a group; a user-agent after rules starts a new one.
    [InlineData("User-agent: OtherBot\nUser-agent: TattooDirectoryBot\nDisallow: /shared", "/shared", false)]
    [InlineData("User-agent: TattooDirectoryBot\nDisallow: /a\nUser-agent: OtherBot\nDisallow: /b", "/b", true)]
    // Several groups for us are merged.
    [InlineData("User-agent: TattooDirectoryBot\nDisallow: /a\n\nUser-agent: *\nDisallow: /c\n\nUser-agent: TattooDirectoryBot\nDisallow: /b", "/b", false)]
    [InlineData("User-agent: TattooDirectoryBot\nDisallow: /a\n\nUser-agent: *\nDisallow: /c\n\nUser-agent: TattooDirectoryBot\nDisallow: /b", "/c", true)]
    // Rules outside any group, empty rules, comments, CRLF and odd spacing.
    [InlineData("Disallow: /\nUser-agent: *\nAllow: /x", "/y", true)]
    [InlineData("User-agent: *\nDisallow:", "/x", true)]
    [InlineData("User-agent: * # everyone\r\nDisallow: /private # keep out\r\n", "/private/x", false)]
    [InlineData("  User-Agent :*\n  DISALLOW :  /private  ", "/private", false)]
    // Percent-encoding is compared in one spelling.
    [InlineData("User-agent: *\nDisallow: /café", "/caf%C3%A9/menu", false)]
    [InlineData("User-agent: *\nDisallow: /caf%c3%a9", "/café", false)]
    [InlineData("User-agent: *\nDisallow: /%7Ejoe", "/~joe/ink", false)]
    [InlineData("User-agent: *\nDisallow: /a%2Fb", "/a/b", true)]
    public void A_url_is_allowed_by_the_rule_that_matches_it_most_specifically(string robots, string path, bool allowed)
    {
        var rules = Parse(robots);

        Assert.Equal(allowed, rules.IsAllowed(new Uri("https://studio.test" + path)));
    }

    [Theory]
    [InlineData("<!doctype html><html><body>Welcome to our studio</body></html>")]
    [InlineData("\u0000\u0001binary\uFFFD garbage: with: colons\n::::\n")]
    [InlineData("")]
    public void A_file_with_no_rules_in_it_allows_everything(string garbage)
    {
        var rules = Parse(garbage);

        Assert.True(rules.IsAllowed(new Uri("https://studio.test/artists/jo")));
        Assert.Equal(0, rules.RuleCount);
    }

    [Fact]
    public void Crawl_delay_comes_from_the_chosen_group()
    {
        Assert.Equal(TimeSpan.FromSeconds(2.5), Parse("User-agent: *\nCrawl-delay: 2.5\nDisallow: /x").CrawlDelay);
        Assert.Null(Parse("User-agent: *\nCrawl-delay: 9\n\nUser-agent: TattooDirectoryBot\nDisallow: /x").CrawlDelay);
        Assert.Null(Parse("User-agent: *\nCrawl-delay: soon").CrawlDelay);
    }

    [Fact]
    public void A_cut_off_file_loses_its_last_partial_line()
    {
        var rules = RobotsRules.Parse("User-agent: *\nDisallow: /a\nDisallow: /b"u8, WebFetcher.ProductToken, truncated: true);

        Assert.False(rules.IsAllowed(new Uri("https://studio.test/a")));
        Assert.True(rules.IsAllowed(new Uri("https://studio.test/b")));
    }

    [Fact]
    public void A_pattern_full_of_stars_is_matched_without_backtracking_blowup()
    {
        var robots = "User-agent: *\nDisallow: /" + string.Concat(Enumerable.Repeat("*a", 5_000)) + "b";
        var path = "/" + new string('a', 20_000);

        Assert.True(Parse(robots).IsAllowed(new Uri("https://studio.test" + path)));
        Assert.False(Parse(robots).IsAllowed(new Uri("https://studio.test" + path + "b")));
    }

    [Fact]
    public void Thousands_of_user_agent_lines_before_the_star_group_do_not_hide_it()
    {
        var robots = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"User-agent: bot{i}\n")) + "User-agent: *\nDisallow: /";

        Assert.False(Parse(robots).IsAllowed(new Uri("https://studio.test/x")));
    }

    private static RobotsRules Parse(string robots) => RobotsRules.Parse(Encoding.UTF8.GetBytes(robots), WebFetcher.ProductToken);
}
