using System.Text.Json;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Admin.Dashboard;

/// <summary>One alarm as <c>GET /v1/admin/alarms</c> reports it.</summary>
public sealed record AlarmDto(string Name, string Severity, string State, DateTimeOffset? Since, string? Reason);

public sealed record AlarmListDto(IReadOnlyList<AlarmDto> Alarms);

/// <summary>The alarms the dashboard shows; <see cref="Unavailable"/> when the alarms endpoint failed.</summary>
public sealed record AlarmsView(IReadOnlyList<AlarmDto> Alarms, bool Unavailable)
{
    public static readonly AlarmsView None = new([], false);
}

/// <summary>
/// Reads <c>GET /v1/admin/alarms</c> for the dashboard by running that endpoint in-process. The
/// page is opened with the sign-in cookie and the API takes only the bearer token, so neither the
/// browser nor a loopback call could ask it; running the endpoint itself keeps its JSON the one
/// contract, whoever implements it. No such endpoint (or a 404) means no alarms.
/// </summary>
public sealed class AlarmsFeed(EndpointDataSource endpoints, IServiceScopeFactory scopes)
{
    public const string Path = AdminAuth.ApiPrefix + "/alarms";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AlarmsView> ReadAsync(CancellationToken cancellationToken)
    {
        var endpoint = endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e =>
            string.Equals(e.RoutePattern.RawText?.TrimEnd('/'), Path, StringComparison.OrdinalIgnoreCase)
            && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) != false);
        if (endpoint?.RequestDelegate is not { } handler) return AlarmsView.None;

        await using var scope = scopes.CreateAsyncScope();
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = AdminAuth.Operator(AdminAuth.BearerScheme), RequestAborted = cancellationToken };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = Path;
        context.Response.Body = body;
        context.SetEndpoint(endpoint);
        try
        {
            await handler(context);
            if (context.Response.StatusCode == StatusCodes.Status404NotFound) return AlarmsView.None;
            if (context.Response.StatusCode != StatusCodes.Status200OK) return new AlarmsView([], true);
            body.Position = 0;
            var list = await JsonSerializer.DeserializeAsync<AlarmListDto>(body, Json, cancellationToken);
            return new AlarmsView(list?.Alarms ?? [], false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IOException)
        {
            return new AlarmsView([], true);
        }
    }
}
