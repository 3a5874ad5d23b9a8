using System.ComponentModel;
using System.Diagnostics;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>
/// An npm emulator (dynalite, s3rver) in a node process on a free loopback port. The script
/// exits when its stdin closes, so the process ends with the test run even if the run is killed.
/// </summary>
internal sealed class NodeEmulator : IDisposable
{
    private const string ReadyLine = "LISTENING ";
    private readonly Process _process;

    private NodeEmulator(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Starts a script that listens on 127.0.0.1 and prints <c>LISTENING {port}</c>; null when node is not installed.</summary>
    public static async Task<NodeEmulator?> StartAsync(string package, string script)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = PackageRoot(package),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(script + "\nprocess.stdin.on('end', () => process.exit(0)); process.stdin.resume();");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return null;
        }

        var errors = process.StandardError.ReadToEndAsync();
        var ready = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(ReadyLine, StringComparison.Ordinal))
                {
                    return int.Parse(line[ReadyLine.Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException($"{package} exited before listening: {await errors}");
        });
        var port = await ready.WaitAsync(TimeSpan.FromSeconds(60));
        // Keep draining its output so a chatty emulator never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var emulator = new NodeEmulator(process, new Uri($"http://127.0.0.1:{port}"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => emulator.Dispose();
        return emulator;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    /// <summary>The test project folder holding node_modules/{package} (installed by its build).</summary>
    private static string PackageRoot(string package)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "node_modules", package)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"{package} is not installed: build the test project (it runs npm ci in tests/TattooDirectory.Tests).");
    }
}
