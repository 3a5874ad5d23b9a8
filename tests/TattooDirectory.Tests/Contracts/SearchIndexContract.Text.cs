using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Tests.Contracts;

public abstract partial class SearchIndexContract<TIndex> where TIndex : class, ISearchIndex
{
    // ---- Text ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("Blackwell")]
    [InlineData("blakwell")]     // one edit
    [InlineData("blakwel")]      // two edits on a long term
    [InlineData("rosa bla")]     // the last term is a prefix while typing
    [InlineData("ROSA")]
    public async Task Text_finds_names_despite_case_typos_and_unfinished_words(string text)
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Rosa Blackwell" }, Artist("artist-0002") with { Name = "Kim Vale" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = text })).Hits);

        Assert.Equal("artist-0001", hit.Document.ArtistId);
    }

    [Fact]
    public async Task Short_terms_must_match_exactly()
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Jo Lee" });

        Assert.Equal(0, (await SearchAsync(new SearchRequest { Text = "ja lee" })).Total);
        Assert.Equal(1, (await SearchAsync(new SearchRequest { Text = "jo lee" })).Total);
    }

    [Fact]
    public async Task Every_term_must_match_somewhere()
    {
        await SeedAsync(
            Artist("artist-0001") with { Name = "Rosa Thorn", City = "Leeds", LocationDisplay = "Leeds" },
            Artist("artist-0002") with { Name = "Rosa Vale" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = "rosa manchester" })).Hits);

        Assert.Equal("artist-0002", hit.Document.ArtistId);
    }

    [Fact]
    public async Task A_name_match_ranks_above_a_bio_match()
    {
        await SeedAsync(
            Artist("artist-aaaa") with { Name = "Kim Vale", Bio = "Trained for years alongside rosa in a busy city studio." },
            Artist("artist-zzzz") with { Name = "Rosa Thorn", Bio = "Colour work and cover-ups." });

        var result = await SearchAsync(new SearchRequest { Text = "rosa", Sort = SearchSort.Relevance });

        Assert.Equal(["artist-zzzz", "artist-aaaa"], Ids(result));
    }

    [Fact]
    public async Task An_exact_term_ranks_above_a_typo_neighbour()
    {
        await SeedAsync(Artist("artist-aaaa") with { Name = "Marc Lowe" }, Artist("artist-zzzz") with { Name = "Mark Lowe" });

        var result = await SearchAsync(new SearchRequest { Text = "mark", Sort = SearchSort.Relevance });

        Assert.Equal(["artist-zzzz", "artist-aaaa"], Ids(result));
    }

    [Theory]
    [InlineData("ink works")]
    [InlineData("@rosa_tattoos")]
    [InlineData("neo traditional")]
    [InlineData("Neo-Traditional")]
    [InlineData("neotraditional")]
    [InlineData("blackwork")]
    [InlineData("ancoats")]
    [InlineData("koi")]
    [InlineData("backpeices")]   // a typo on the fifth field: fuzzy matching is not only for names
    [InlineData("ancoat")]       // prefix on the location
    public async Task Text_matches_studio_handle_styles_location_and_bio(string text)
    {
        await SeedAsync(
            Artist("artist-0001") with
            {
                Name = "Rosa Thorn",
                StudioName = "Ink Works",
                InstagramHandle = "rosa_tattoos",
                Styles = ["neo-traditional", "blackwork"],
                LocationDisplay = "Ancoats, Manchester",
                Bio = "Large koi backpieces.",
            },
            Artist("artist-0002") with { Name = "Kim Vale", Styles = ["traditional", "realism"], LocationDisplay = "Salford" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = text })).Hits);

        Assert.Equal("artist-0001", hit.Document.ArtistId);
    }

    [Fact]
    public async Task Accents_are_ignored_on_both_sides()
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Zoë Ménard" });

        Assert.Equal(1, (await SearchAsync(new SearchRequest { Text = "zoe menard" })).Total);
        Assert.Equal(1, (await SearchAsync(new SearchRequest { Text = "ZOË" })).Total);
    }

    [Fact]
    public async Task Query_syntax_characters_are_separators_not_operators()
    {
        await SeedAsync(Artist("artist-0001") with { Name = "Rosa Thorn" }, Artist("artist-0002") with { Name = "Kim Vale" });

        var hit = Assert.Single((await SearchAsync(new SearchRequest { Text = "(rosa) [thorn]^ -\"" })).Hits);

        Assert.Equal("artist-0001", hit.Document.ArtistId);
        Assert.Equal(0, (await SearchAsync(new SearchRequest { Text = "rosa OR kim" })).Total);
    }

    public static TheoryData<string> HostileInputs => ["syntax", "operators", "huge", "many-terms", "emoji", "rtl", "nul", "whitespace"];

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Hostile_text_never_throws(string kind)
    {
        var text = kind switch
        {
            "syntax" => "AND OR NOT * ? ~ ^ \" : ( ) [ ] { } \\ / + - && || !",
            "operators" => "name:rosa~2^10 AND bio:[* TO *] OR /reg.*ex/ \"unclosed",
            "huge" => new string('a', 10_000),
            "many-terms" => string.Join(' ', Enumerable.Range(0, 2_000).Select(i => $"w{i}")),
            "emoji" => "🖤🐉 rosa 👩🏽‍🎨",
            "rtl" => "שלום مرحبا rosa",
            "nul" => "ro\0sa \0\0",
            _ => " \t\r\n ",
        };
        await SeedAsync(Artist("artist-0001") with { Name = "Rosa Thorn" });

        foreach (var sort in Enum.GetValues<SearchSort>())
        {
            var result = await SearchAsync(new SearchRequest { Text = text, LocationText = text, Sort = sort });
            Assert.InRange(result.Total, 0, 1);
        }
    }
}
