using System.CommandLine;
using Spectre.Console;

namespace TattooDirectory.Features.DemoWeb;

/// <summary>
/// <c>demo-web [--port 5099] [--studios 36] [--warm]</c>: serves the demo web until Ctrl+C and prints the
/// settings that point the directory's discovery and fetcher at it. Exit codes: 0 stopped,
/// 1 a port was taken, 2 bad arguments.
/// </summary>
internal static class DemoWebCommand
{
    public const int DefaultPort = 5099;

    public static Command Create(IAnsiConsole console)
    {
        var port = new Option<int>("--port") { Description = "The control port; the studio sites take the ports right after it.", DefaultValueFactory = _ => DefaultPort };
        var studios = new Option<int>("--studios") { Description = "How many studio sites to serve.", DefaultValueFactory = _ => DemoWebOptions.DefaultStudios };
        var warm = new Option<bool>("--warm") { Description = "Render every image before announcing the sites (for benchmarks)." };
        var command = new Command("demo-web", "Serve fictional studio sites and discovery APIs on 127.0.0.1, so aggregation runs without internet.") { port, studios, warm };
        command.SetAction((result, ct) => RunAsync(console, new DemoWebOptions { BasePort = result.GetValue(port), Studios = result.GetValue(studios) }, result.GetValue(warm), ct));
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, DemoWebOptions options, bool warm, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 2;
        }

        DemoWebServer server;
        try
        {
            server = await DemoWebServer.StartAsync(options, cancellationToken: cancellationToken);
        }
        catch (IOException ex)
        {
            console.MarkupLineInterpolated($"[red]Could not listen on 127.0.0.1:{options.BasePort}–{options.BasePort + options.Studios}: {ex.Message}[/]");
            return 1;
        }
        await using (server)
        {
            try
            {
                if (warm) await console.Status().StartAsync("Rendering every image…", _ => server.WarmImagesAsync(cancellationToken));
                Print(console, server);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the normal way to stop.
            }
        }
        return 0;
    }

    private static void Print(IAnsiConsole console, DemoWebServer server)
    {
        var manifest = server.Manifest;
        var artists = manifest.Sites.Sum(s => s.Artists.Count);
        var images = manifest.Sites.Sum(s => s.Artists.Sum(a => a.Images.Count));
        console.MarkupLineInterpolated($"Demo web: [green]{manifest.Sites.Count}[/] studio sites, [green]{artists}[/] artists, [green]{images}[/] images.");
        console.MarkupLineInterpolated($"  Control  {server.ControlUri}manifest.json");
        console.MarkupLineInterpolated($"  Sites    {server.SiteUris[0]} … {server.SiteUris[^1]}");
        console.WriteLine();
        // Plain lines on the raw writer: Spectre would wrap them at the terminal's width and break copy and paste.
        var output = console.Profile.Out.Writer;
        output.WriteLine("Point the directory at it with these settings (appsettings, environment or command line):");
        foreach (var (key, value) in server.AppSettings) output.WriteLine($"  {key}={value}");
        output.WriteLine();
        output.WriteLine("For example:");
        output.WriteLine($"  dotnet run --project src/TattooDirectory -- {string.Join(' ', server.AppSettings.Select(s => $"--{s.Key}={s.Value}"))}");
        output.WriteLine();
        output.WriteLine("Press Ctrl+C to stop.");
        output.Flush();
    }
}
