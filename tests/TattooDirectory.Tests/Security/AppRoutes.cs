using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Security;

/// <summary>One method of one route the app maps, with a concrete path to send it to.</summary>
internal sealed record AppRoute(HttpMethod Method, string Pattern, string Path, Endpoint Endpoint)
{
    public string Key => $"{Method} {Pattern}";

    public bool IsApi => Pattern.StartsWith("/v1/", StringComparison.Ordinal);

    public bool IsAdminApi => Pattern is "/v1/admin" || Pattern.StartsWith("/v1/admin/", StringComparison.Ordinal);

    public bool IsAdminPage => Pattern is "/admin" || Pattern.StartsWith("/admin/", StringComparison.Ordinal);

    public bool IsAdmin => IsAdminApi || IsAdminPage;

    public T? Metadata<T>() where T : class => Endpoint.Metadata.GetMetadata<T>();
}

/// <summary>
/// Every route of the app, read from its endpoint data sources rather than from a hand list, so a
/// route added later is held to the same rules without touching the tests that walk them.
/// </summary>
internal static partial class AppRoutes
{
    /// <param name="values">Route parameter values by name (case-insensitive); any other parameter gets a well-formed stand-in.</param>
    public static List<AppRoute> Of(DirectoryHost host, IReadOnlyDictionary<string, string>? values = null)
    {
        var routes = new List<AppRoute>();
        foreach (var endpoint in ((IEndpointRouteBuilder)host.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var path = Parameter().Replace(pattern, m => values?.FirstOrDefault(v => string.Equals(v.Key, m.Groups["name"].Value, StringComparison.OrdinalIgnoreCase)).Value ?? "probe1");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
            {
                routes.Add(new AppRoute(new HttpMethod(method), pattern, path, endpoint));
            }
        }
        return routes;
    }

    [GeneratedRegex(@"\{\**(?<name>[^}:?=]+)[^}]*\}")]
    private static partial Regex Parameter();
}
