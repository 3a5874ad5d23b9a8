namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>What each kind of fetch asks for and accepts.</summary>
internal static class FetchKinds
{
    private static readonly string[] Html = ["text/html", "application/xhtml+xml"];
    private static readonly string[] Images = ["image/jpeg", "image/png", "image/webp", "image/gif"];
    private static readonly string[] Robots = ["text/plain"];
    private static readonly string[] Json = ["application/json"];

    public static string Accept(FetchKind kind) => kind switch
    {
        FetchKind.Html => "text/html,application/xhtml+xml;q=0.9",
        FetchKind.Image => "image/webp,image/jpeg,image/png,image/gif;q=0.8",
        FetchKind.Robots => "text/plain",
        _ => "application/json",
    };

    /// <summary>Whether a response's media type (lower case, no parameters) is one this kind takes; JSON also takes <c>+json</c> types such as JSON-LD.</summary>
    public static bool Accepts(FetchKind kind, string? mediaType) => mediaType is not null && kind switch
    {
        FetchKind.Html => Html.Contains(mediaType),
        FetchKind.Image => Images.Contains(mediaType),
        FetchKind.Robots => Robots.Contains(mediaType),
        FetchKind.Json => Json.Contains(mediaType) || (mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>Robots.txt is only consulted for crawling pages and the images they show.</summary>
    public static bool ObeysRobots(FetchKind kind) => kind is FetchKind.Html or FetchKind.Image;
}
