using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Removal;

/// <summary>Calls of the removal API as a client makes them.</summary>
internal static class RemovalApi
{
    public const string Token = "operator-token-for-removal-tests";

    public static IReadOnlyDictionary<string, string> Settings(int perHour = 1000) => new Dictionary<string, string>
    {
        ["Admin:Token"] = Token,
        ["RateLimits:RemovalRequestsPerHour"] = perHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static object ValidBody(string? artistId = "artist-someone1") => new
    {
        fullName = "Requester Person",
        email = "requester@example.org",
        artistId,
        requestType = "profile-removal",
        details = "This is my profile; I DM'd you from the account.",
    };

    public static Task<HttpResponseMessage> SubmitAsync(DirectoryHost host, object body) =>
        host.Client.PostAsJsonAsync("/v1/removal-requests", body, TestContext.Current.CancellationToken);

    public static async Task<string> SubmitAcceptedAsync(DirectoryHost host, object body)
    {
        using var response = await SubmitAsync(host, body);
        var json = await ReadJsonAsync(response);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return json.GetProperty("requestId").GetString()!;
    }

    public static Task<HttpResponseMessage> AdminAsync(DirectoryHost host, HttpMethod method, string path, object? body = null, string? token = Token)
    {
        var request = new HttpRequestMessage(method, "/v1/admin/removal-requests" + path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
