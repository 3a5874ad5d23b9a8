using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Features.Artists;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Styles;

public sealed record StyleInfoDto(string Id, string Name, string Description, IReadOnlyList<string> Aliases, int ArtistCount);

public static class StylesApi
{
    public static IEndpointRouteBuilder MapStylesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/styles").WithTags("Styles").RequireRateLimiting(RateLimits.PublicApi).AnswerHead()
            .MapGet("/", ListAsync).WithName("ListStyles").WithSummary("Every style in the vocabulary with its live artist count");
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<StyleInfoDto>>> ListAsync(ArtistSearch search, CancellationToken ct)
    {
        var result = await search.SearchAsync(new SearchRequest { Limit = 1 }, ct);
        var counts = result.StyleFacets.ToDictionary(f => f.Value, f => f.Count, StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<StyleInfoDto>>([.. StyleVocabulary.All.Select(s => new StyleInfoDto(s.Id, s.Name, s.Description, s.Aliases, counts.GetValueOrDefault(s.Id)))]);
    }
}
