using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Places;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Artists;

public static class ArtistsApi
{
    public static WebApplicationBuilder AddArtists(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(Gazetteer.Default);
        builder.Services.AddSingleton<ArtistSearch>();
        return builder;
    }

    public static IEndpointRouteBuilder MapArtistsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/artists").WithTags("Artists").RequireRateLimiting(RateLimits.PublicApi).AnswerHead();
        group.MapGet("/", SearchAsync).WithName("SearchArtists")
            .WithSummary("Search artists by keyword, styles and location")
            .WithDescription("Query parameters: query, styles (comma-separated ids), location (city, town or postcode district), lat+lon, radiusKm (1–200), studioId, sort (relevance|distance|rating|name), page (≥1), limit (1–50).")
            .Produces<SearchResponseDto>()
            .ProducesValidationProblem();
        group.MapGet("/{artistId}", GetAsync).WithName("GetArtist").WithSummary("An artist's full profile").CacheOutput(ResponseCaching.ArtistPolicy);
        return app;
    }

    internal static async Task<Results<Ok<SearchResponseDto>, ValidationProblem>> SearchAsync(HttpRequest http, Gazetteer gazetteer, ArtistSearch search, CancellationToken ct)
    {
        var (parsed, errors) = SearchQuery.Parse(http.Query, gazetteer);
        if (parsed is null) return TypedResults.ValidationProblem(errors, title: "The search parameters are not valid");
        var request = parsed.Request;
        var result = await search.SearchAsync(request, ct);
        var facets = new FacetsDto(
            [.. result.StyleFacets.Select(f => new StyleFacetDto(f.Value, StyleVocabulary.NameOf(f.Value), f.Count))],
            [.. result.CityFacets.Select(f => new CityFacetDto(f.Value, f.Count))]);
        return TypedResults.Ok(new SearchResponseDto(
            [.. result.Hits.Select(SearchItemDto.From)],
            result.Total,
            request.Page,
            request.Limit,
            (long)request.Page * request.Limit < Math.Min(result.Total, SearchQuery.MaxDepth),
            facets,
            parsed.ResolvedPlace,
            result.Degraded ? true : null,
            result.Degraded ? "Search is running in degraded mode from the primary store; ranking and text matching are simplified." : null));
    }

    internal static async Task<Results<Ok<ProfileDto>, ProblemHttpResult, ValidationProblem>> GetAsync(string artistId, ArtistCatalog catalog, IBlobStore blobs, CancellationToken ct)
    {
        if (!Identifiers.IsArtistId(artistId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["artistId"] = ["artistId must look like 'artist-' followed by 4–40 lowercase letters or digits."] });
        }
        var profile = await catalog.GetArtistAsync(artistId, ct);
        if (profile is null || profile.Artist.OptedOut)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Artist not found", detail: $"No listed artist has the id {artistId}.");
        }
        return TypedResults.Ok(ProfileDto.From(profile, blobs));
    }
}
