using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;
using TattooDirectory.Features.Artists;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Studios;

public sealed record StudioDto(
    string StudioId,
    string Name,
    string Address,
    string City,
    string Postcode,
    GeoDto Geo,
    string? WebsiteUrl,
    string? Phone,
    string? Email,
    string? InstagramHandle,
    IReadOnlyList<string> OpeningHours)
{
    public static StudioDto From(Studio s) => new(s.StudioId, s.Name, s.Address, s.City, s.Postcode, GeoDto.From(s.Geo), s.WebsiteUrl, s.Phone, s.Email, s.InstagramHandle, s.OpeningHours);
}

public sealed record StudioListDto(IReadOnlyList<StudioDto> Items, int Total, int Page, int Limit, bool HasMore);

public sealed record StudioProfileDto(StudioDto Studio, IReadOnlyList<SearchItemDto> Artists);

public static class StudiosApi
{
    public static IEndpointRouteBuilder MapStudiosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/studios").WithTags("Studios").RequireRateLimiting(RateLimits.PublicApi).AnswerHead();
        group.MapGet("/", ListAsync).WithName("ListStudios").WithSummary("Studios, optionally in one city, ordered by name");
        group.MapGet("/{studioId}", GetAsync).WithName("GetStudio").WithSummary("A studio with its artists").CacheOutput(ResponseCaching.StudioPolicy);
        return app;
    }

    internal static async Task<Results<Ok<StudioListDto>, ValidationProblem>> ListAsync(HttpRequest http, ArtistCatalog catalog, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var city = QueryParameters.Single(http.Query, "city", errors);
        if (city is { Length: > 100 } || city is not null && city.Any(char.IsControl)) errors["city"] = ["city must be a place name of at most 100 characters."];
        var page = QueryParameters.Integer(http.Query, "page", 1, 10_000, errors) ?? 1;
        var limit = QueryParameters.Integer(http.Query, "limit", 1, 100, errors) ?? 20;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The parameters are not valid");
        var (studios, total) = await catalog.ListStudiosAsync(string.IsNullOrWhiteSpace(city) ? null : city.Trim(), page, limit, ct);
        return TypedResults.Ok(new StudioListDto([.. studios.Select(StudioDto.From)], total, page, limit, (long)page * limit < total));
    }

    internal static async Task<Results<Ok<StudioProfileDto>, ProblemHttpResult, ValidationProblem>> GetAsync(string studioId, ArtistCatalog catalog, ArtistSearch search, HttpContext http, CancellationToken ct)
    {
        if (!Identifiers.IsStudioId(studioId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["studioId"] = ["studioId must look like 'studio-' followed by 4–40 lowercase letters or digits."] });
        }
        var studio = await catalog.GetStudioAsync(studioId, ct);
        if (studio is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Studio not found", detail: $"No studio has the id {studioId}.");
        var artists = await search.SearchAsync(new SearchRequest { StudioId = studioId, Sort = SearchSort.Name, Limit = 50 }, ct);
        http.TagArtists(artists.Hits.Select(h => h.Document.ArtistId));
        return TypedResults.Ok(new StudioProfileDto(StudioDto.From(studio), [.. artists.Hits.Select(SearchItemDto.From)]));
    }
}
