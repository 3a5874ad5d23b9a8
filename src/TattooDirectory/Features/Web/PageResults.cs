using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Features.Web.Components;

namespace TattooDirectory.Features.Web;

/// <summary>
/// The answers of the endpoints that take HTML forms: a page shown again in place (a form with
/// its errors, 400; a decision that came too late, 409; the sign-in form, 401), and 303 See
/// Other after a post that worked, so reloading the next page never sends the form twice.
/// </summary>
internal static class PageResults
{
    /// <summary>
    /// Renders the page the router finds at <paramref name="path"/> as the answer to this request.
    /// Whatever state the page needs beyond its address travels as a request feature.
    /// </summary>
    public static IResult Page(PathString path, int statusCode, QueryString query = default) => new PageInPlace(path, query, statusCode);

    /// <summary>303 to an address on this site.</summary>
    public static IResult SeeOther(string localUrl) => new SeeOtherResult(localUrl);

    private sealed class PageInPlace(PathString path, QueryString query, int statusCode) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var request = httpContext.Request;
            var (originalPath, originalQuery) = (request.Path, request.QueryString);
            // The router and the page's query parameters read the request's address.
            request.Path = path;
            request.QueryString = query;
            try
            {
                await new RazorComponentResult<App> { StatusCode = statusCode }.ExecuteAsync(httpContext);
            }
            finally
            {
                request.Path = originalPath;
                request.QueryString = originalQuery;
            }
        }
    }

    private sealed class SeeOtherResult(string localUrl) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (!RedirectHttpResult.IsLocalUrl(localUrl)) throw new InvalidOperationException("A form only ever redirects within the site.");
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = localUrl;
            return Task.CompletedTask;
        }
    }
}
