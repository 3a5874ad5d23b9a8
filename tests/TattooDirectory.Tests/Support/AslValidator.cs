using System.ComponentModel;
using System.Diagnostics;

namespace TattooDirectory.Tests.Support;

/// <summary>asl-validator (npm, installed into the test project by its build): exit code 0 valid, 1 invalid.</summary>
public static class AslValidator
{
    /// <summary>Runs it on a definition file; skips the test when node is missing.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string path, CancellationToken ct)
    {
        var script = Find();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "--json-path", path })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Assert.Skip("node is not installed, so asl-validator cannot run.");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            return (process.ExitCode, await output + await errors);
        }
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "node_modules", "asl-validator", "dist", "bin", "asl-validator.js");
            if (File.Exists(script))
            {
                return script;
            }
        }

        Assert.Fail("asl-validator is not installed: build the test project (it runs npm ci in tests/TattooDirectory.Tests).");
        return "";
    }
}
