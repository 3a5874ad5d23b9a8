namespace TattooDirectory.Bench;

public static class Paths
{
    /// <summary>The folder holding TattooDirectory.slnx, found by walking up from the harness binary.</summary>
    public static string RepositoryRoot { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TattooDirectory.slnx"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    public static DirectoryInfo NewTemp(string name) => Directory.CreateTempSubdirectory($"tattoo-bench-{name}-");

    public static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
