using System.Net;
using System.Net.Http.Headers;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

public sealed class AdminTokenLockoutTests
{
    private const string Token = "operator-token-for-lockout-tests";

    [Fact]
    public async Task A_client_that_keeps_sending_wrong_tokens_gets_429_even_with_the_right_one()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string>
        {
            ["Admin:Token"] = Token,
            ["Admin:FailedTokensPerMinute"] = "3",
        });

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) wrong.Add(await SyncStatusAsync(host, "wrong-token-guess-number-" + i));
        using var locked = await SendAsync(host, Token);
        using var noToken = await SendAsync(host, token: null);

        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Forbidden, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
    }

    private static async Task<HttpStatusCode> SyncStatusAsync(DirectoryHost host, string token)
    {
        using var response = await SendAsync(host, token);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(DirectoryHost host, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/sync");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
