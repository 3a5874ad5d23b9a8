using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Spectre.Console;
using TattooDirectory.Features.DemoWeb;
using TattooDirectory.Features.Seed;
using TattooDirectory.Hosting;

namespace TattooDirectory.Tests.Features.DemoWeb;

/// <summary>Starting the demo web: the same sites every time, apart from the bundled seed, and the command's refusals.</summary>
public sealed class DemoWebRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_runs_serve_the_same_sites_pages_and_image_bytes_on_different_ports()
    {
        await using var first = await DemoWebServer.StartAsync(cancellationToken: Ct);
        await using var second = await DemoWebServer.StartAsync(cancellationToken: Ct);
        Assert.NotEqual(first.ControlUri, second.ControlUri);
        Assert.Equal(WithoutPorts(first), WithoutPorts(second));

        using var client = DemoWebFixture.NoRedirectClient();
        var site = first.Manifest.Sites.First(s => s.Layout == SiteLayout.ArtistsPage && s.Artists.Any(a => a.Fault == PageFault.None));
        var artist = site.Artists.First(a => a.Fault == PageFault.None);
        var paths = new[] { "/", "/artists", new Uri(artist.PageUrl!).AbsolutePath, new Uri(artist.AvatarUrl!).AbsolutePath }
            .Concat(artist.Images.Select(i => new Uri(i.Url).AbsolutePath));
        foreach (var path in paths)
        {
            var a = await client.GetByteArrayAsync(new Uri(first.SiteUris[site.Index], path), Ct);
            var b = await client.GetByteArrayAsync(new Uri(second.SiteUris[site.Index], path), Ct);
            Assert.True(a.AsSpan().SequenceEqual(b), path);
        }
    }

    [Fact]
    public async Task Another_seed_gives_other_studios()
    {
        await using var usual = await DemoWebServer.StartAsync(cancellationToken: Ct);
        await using var other = await DemoWebServer.StartAsync(new DemoWebOptions { Seed = 7, Studios = 30 }, cancellationToken: Ct);
        Assert.Equal(30, other.Manifest.Sites.Count);
        Assert.NotEqual(usual.Manifest.Sites.Select(s => s.Name).Take(30), other.Manifest.Sites.Select(s => s.Name));
    }

    [Fact]
    public async Task Demo_studios_and_artists_are_none_of_the_bundled_seed_dataset()
    {
        await using var web = await DemoWebServer.StartAsync(cancellationToken: Ct);
        var seed = new SeedDataset(new SeedOptions());
        var seedArtists = seed.Artists().Select(a => a.Artist).ToList();
        var seedStudios = seed.Studios().ToList();
        var artists = web.Manifest.Sites.SelectMany(s => s.Artists).ToList();
        Assert.Empty(artists.Select(a => a.ArtistId).Intersect(seedArtists.Select(a => a.ArtistId)));
        Assert.Empty(artists.Select(a => a.Name).Intersect(seedArtists.Select(a => a.Name)));
        Assert.Empty(artists.Select(a => a.InstagramHandle).Intersect(seedArtists.Select(a => a.InstagramHandle ?? "")));
        Assert.Empty(web.Manifest.Sites.Select(s => s.Name).Intersect(seedStudios.Select(s => s.Name)));
        Assert.Empty(web.Manifest.Sites.Select(s => s.StudioId).Intersect(seedStudios.Select(s => s.StudioId)));
    }

    [Fact]
    public async Task The_command_refuses_ports_past_65535()
    {
        var output = new StringWriter();
        Assert.Equal(2, await DirectoryCommandLine.InvokeAsync(["demo-web", "--port", "65500"], Console(output)));
        Assert.Contains("1024–65535", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_says_so_when_its_control_port_is_taken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var output = new StringWriter();
        Assert.Equal(1, await DirectoryCommandLine.InvokeAsync(["demo-web", "--port", $"{port}", "--studios", "30"], Console(output)));
        Assert.Contains($"127.0.0.1:{port}", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The manifest with this run's ports taken out: site n becomes "site-n".</summary>
    private static string WithoutPorts(DemoWebServer web)
    {
        var json = JsonSerializer.Serialize(web.Manifest with { AllowedHosts = [] }, DemoWebJson.Default.DemoWebManifest);
        json = json.Replace(web.ControlUri.AbsoluteUri, "control/", StringComparison.Ordinal);
        for (var i = 0; i < web.SiteUris.Count; i++) json = json.Replace(web.SiteUris[i].AbsoluteUri, $"site-{i}/", StringComparison.Ordinal);
        return json;
    }

    // A plain writer is no terminal, so Spectre writes no colour codes into it.
    private static IAnsiConsole Console(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
}
