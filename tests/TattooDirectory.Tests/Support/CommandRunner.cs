using Spectre.Console;
using TattooDirectory.Hosting;

namespace TattooDirectory.Tests.Support;

/// <summary>Runs the app's command line in process with its console captured as plain, wide text.</summary>
internal static class CommandRunner
{
    public static Task<int> RunAsync(TextWriter output, params string[] args) => DirectoryCommandLine.InvokeAsync(args, Capturing(output));

    /// <summary>A console that writes plain text to <paramref name="output"/>: no colours, no live redraws, 200 columns.</summary>
    public static IAnsiConsole Capturing(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        return console;
    }
}
