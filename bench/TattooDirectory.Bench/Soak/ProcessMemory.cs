using System.Globalization;

namespace TattooDirectory.Bench.Soak;

/// <summary>
/// A process's resident memory from /proc/&lt;pid&gt;/status, in MB: the total and its two main
/// parts, anonymous (the GC heaps, native allocations) and file-backed (mapped files, which for
/// the app are mostly the Lucene index the OS may drop and re-read at will).
/// </summary>
internal readonly record struct ProcessMemory(double RssMb, double AnonMb, double FileMb)
{
    public static ProcessMemory Read(int pid)
    {
        var kilobytes = new Dictionary<string, long>(StringComparer.Ordinal);
        // Lines look like "VmRSS:	  123456 kB".
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !line.StartsWith("VmRSS", StringComparison.Ordinal) && !line.StartsWith("RssAnon", StringComparison.Ordinal) && !line.StartsWith("RssFile", StringComparison.Ordinal)) continue;
            kilobytes[line[..colon]] = long.Parse(line[(colon + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        double Mb(string key) => Math.Round(kilobytes.GetValueOrDefault(key) / 1024.0, 1);
        return new ProcessMemory(Mb("VmRSS"), Mb("RssAnon"), Mb("RssFile"));
    }
}
