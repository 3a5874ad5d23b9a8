namespace TattooDirectory.Backends.Local.Files;

/// <summary>Replaces a file so that readers see the old content or the whole new content, never a part.</summary>
internal static class AtomicFile
{
    /// <summary>The marker of temp files; it is not a key character, so a temp file never collides with a blob.</summary>
    public const char TempMarker = '~';

    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, DateTimeOffset lastWriteTime, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);

        // Same directory as the target, so the rename stays on one file system and is atomic.
        var temp = Path.Combine(directory, $"{Path.GetFileName(path)}{TempMarker}{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, FileOptions.Asynchronous))
            {
                await write(stream, cancellationToken);

                // Flushed to disk before the rename: after a crash the name points at the whole
                // content, not at an empty file.
                stream.Flush(flushToDisk: true);
            }

            File.SetLastWriteTimeUtc(temp, lastWriteTime.UtcDateTime);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
