namespace TattooDirectory.Backends.Local.Files;

/// <summary>
/// Replaces files so that readers see the old content or the whole new content, never a part:
/// the content goes to a temp file beside the target, and <see cref="GroupCommit"/> makes it
/// durable and renames it into place.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The marker of temp files; it is not a key character, so a temp file never collides with a blob.</summary>
    public const char TempMarker = '~';

    /// <summary>Writes the content to a new temp file in the target's directory and returns its path (not yet durable).</summary>
    public static async Task<string> WriteTempAsync(string path, Func<Stream, CancellationToken, Task> write, DateTimeOffset lastWriteTime, CancellationToken cancellationToken)
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
            }

            File.SetLastWriteTimeUtc(temp, lastWriteTime.UtcDateTime);
            return temp;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
