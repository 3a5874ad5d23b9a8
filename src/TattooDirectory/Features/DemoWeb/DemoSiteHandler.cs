using System.Text;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>Answers requests to one studio site from its routes, misbehaving exactly where the route says.</summary>
/// <param name="stopping">Ends the slow and huge answers when the server stops, instead of holding up its shutdown.</param>
internal sealed class DemoSiteHandler(DemoImages images, DemoWebOptions options, TimeProvider time, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context, DemoSite site, Uri siteUri)
    {
        var response = context.Response;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await WriteAsync(response, 405, SiteRoute.Html, DemoSitePages.Error(405, "Method not allowed"), cancellationToken);
            return;
        }
        var path = context.Request.Path.Value is { Length: > 0 } p ? p : "/";
        try
        {
            switch (site.Route(path))
            {
                case HtmlRoute html:
                    await WriteAsync(response, html.Status, html.ContentType, html.Render(siteUri), cancellationToken);
                    break;
                case TextRoute text:
                    await WriteAsync(response, text.Status, text.ContentType, text.Body, cancellationToken);
                    break;
                case RedirectRoute redirect:
                    response.Headers.Location = redirect.Location;
                    await WriteAsync(response, redirect.Status, redirect.ContentType, DemoSitePages.Error(redirect.Status, "Moved permanently"), cancellationToken);
                    break;
                case SlowRoute slow:
                    await Task.Delay(options.SlowResponseDelay, time, cancellationToken);
                    await WriteAsync(response, slow.Status, slow.ContentType, slow.Inner.Render(siteUri), cancellationToken);
                    break;
                case HugeRoute huge:
                    await StreamHugeAsync(response, huge, siteUri, cancellationToken);
                    break;
                case null when site.Image(path) is { } image:
                    await WriteAsync(response, 200, image.ContentType, images.Portfolio(image), cancellationToken);
                    break;
                case null when site.Avatar(path) is { } artist:
                    await WriteAsync(response, 200, "image/png", images.Avatar(artist), cancellationToken);
                    break;
                default:
                    await WriteAsync(response, 404, SiteRoute.Html, DemoSitePages.Error(404, "Not found"), cancellationToken);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client gave up, as a fetcher should on the slow and the huge pages, or the server is stopping.
        }
    }

    private static Task WriteAsync(HttpResponse response, int status, string contentType, string body, CancellationToken cancellationToken) =>
        WriteAsync(response, status, contentType, Encoding.UTF8.GetBytes(body), cancellationToken);

    private static async Task WriteAsync(HttpResponse response, int status, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    /// <summary>Chunked, with no Content-Length: a fetcher only learns how big it is by reading, and must stop at its cap.</summary>
    private async Task StreamHugeAsync(HttpResponse response, HugeRoute huge, Uri siteUri, CancellationToken cancellationToken)
    {
        response.StatusCode = huge.Status;
        response.ContentType = huge.ContentType;
        var start = Encoding.UTF8.GetBytes(DemoSitePages.HugeArtistStart(huge.Studio, huge.Artist, siteUri));
        await response.Body.WriteAsync(start, cancellationToken);
        long written = start.Length;
        for (var block = 1; written < options.HugePageBytes; block++)
        {
            var filler = Encoding.UTF8.GetBytes(DemoSitePages.HugeFiller(block));
            await response.Body.WriteAsync(filler, cancellationToken);
            written += filler.Length;
        }
        await response.Body.WriteAsync("</section></main></body></html>\n"u8.ToArray(), cancellationToken);
    }
}
