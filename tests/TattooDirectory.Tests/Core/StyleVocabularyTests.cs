using TattooDirectory.Core.Domain;

namespace TattooDirectory.Tests.Core;

public sealed class StyleVocabularyTests
{
    [Theory]
    [InlineData("neotraditional", "neo-traditional")]
    [InlineData("neo_trad", "neo-traditional")]
    [InlineData("#NeoTrad", "neo-traditional")]
    [InlineData("watercolor", "watercolour")]
    [InlineData("fine line", "fineline")]
    [InlineData("Fine Line", "fineline")]
    [InlineData("blackwork", "blackwork")]
    public void Aliases_resolve_to_the_vocabulary_id(string text, string expected)
    {
        Assert.True(StyleVocabulary.TryResolve(text, out var style));
        Assert.Equal(expected, style.Id);
    }

    [Fact]
    public void Unknown_words_do_not_resolve() => Assert.False(StyleVocabulary.TryResolve("pottery", out _));

    [Fact]
    public void Styles_are_inferred_from_hashtags_and_phrases()
    {
        var found = StyleVocabulary.InferFrom("Fresh piece! #blackwork #fineline and some fine line roses, watercolor wash");
        Assert.Equal(["blackwork", "fineline", "floral", "watercolour"], found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_vocabulary_has_the_seventeen_styles_of_the_spec() => Assert.Equal(17, StyleVocabulary.All.Count);

    [Fact]
    public void The_search_text_of_styles_has_each_id_its_name_and_the_name_run_together_and_keeps_unknown_ids_as_they_are() =>
        Assert.Equal("neo-traditional Neo-Traditional NeoTraditional kintsugi", StyleVocabulary.SearchText(["neo-traditional", "kintsugi"]));
}
