namespace TattooDirectory.Hosting;

/// <summary>
/// Lets GET endpoints answer HEAD as well: link checkers, caches and uptime probes ask with HEAD,
/// and minimal API and Razor component endpoints only take the methods they were mapped with.
/// Kestrel sends no body for HEAD, so the GET handler serves both.
/// </summary>
public static class HeadRequests
{
    public static TBuilder AnswerHead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(AllowHead);
        return builder;
    }

    private static void AllowHead(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.OfType<HttpMethodMetadata>().FirstOrDefault() is not { } methods
            || !methods.HttpMethods.Contains(HttpMethods.Get) || methods.HttpMethods.Contains(HttpMethods.Head)) return;
        endpoint.Metadata.Remove(methods);
        endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
    }
}
