using System.Net;
using System.Net.Http.Headers;
using TattooDirectory.Hosting;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>The operator token of a Local directory started without <c>Admin:Token</c>: generated once, kept private, shown once.</summary>
public sealed class AdminTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_start_generates_a_private_token_that_the_next_start_reuses_without_showing_it_again()
    {
        using var data = new TempDirectory();
        var file = data.Combine(AdminToken.FileName);

        string token;
        await using (var first = await DirectoryHost.StartAsync(seed: false, data: data))
        {
            token = (await File.ReadAllTextAsync(file, Ct)).Trim();
            Assert.Equal(43, token.Length);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Contains(token, first.Service<AdminToken>().Announcement, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, await SyncStatusAsync(first, token));
        }

        await using var second = await DirectoryHost.StartAsync(seed: false, data: data);
        Assert.Equal(token, (await File.ReadAllTextAsync(file, Ct)).Trim());
        var announcement = second.Service<AdminToken>().Announcement!;
        Assert.DoesNotContain(token, announcement, StringComparison.Ordinal);
        Assert.Contains(file, announcement, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SyncStatusAsync(second, token));
        Assert.Equal(HttpStatusCode.Forbidden, await SyncStatusAsync(second, token + "x"));
    }

    [Fact]
    public async Task A_configured_token_is_used_as_it_is_and_nothing_is_generated_or_printed()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = OperatorClient.Token });

        Assert.False(File.Exists(Path.Combine(host.DataDirectory, AdminToken.FileName)));
        Assert.Null(host.Service<AdminToken>().Announcement);
        Assert.Equal(HttpStatusCode.OK, await SyncStatusAsync(host, OperatorClient.Token));
    }

    [Fact]
    public async Task A_token_file_without_a_token_stops_the_start_instead_of_opening_the_admin_routes()
    {
        using var data = new TempDirectory();
        await File.WriteAllTextAsync(data.Combine(AdminToken.FileName), "  \n", Ct);

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await using var host = await DirectoryHost.StartAsync(seed: false, data: data);
        });
    }

    [Fact]
    public async Task A_configured_token_shorter_than_sixteen_characters_stops_the_start()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await DirectoryHost.StartAsync(seed: false, settings: new Dictionary<string, string> { ["Admin:Token"] = "too-short" });
        });
    }

    private static async Task<HttpStatusCode> SyncStatusAsync(DirectoryHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/sync");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
