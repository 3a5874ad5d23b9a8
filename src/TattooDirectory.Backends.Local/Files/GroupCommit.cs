using System.Runtime.InteropServices;

namespace TattooDirectory.Backends.Local.Files;

/// <summary>
/// Makes written files durable in groups, as a database's group commit does: concurrent puts
/// queue their temp files; one flusher syncs the file system once for the whole group, renames
/// every temp file into place, syncs again so the new names survive a power cut, and only then
/// completes the puts. A put is acknowledged only when durable, but seeding thousands of images
/// costs a few syncs instead of one fsync per file.
/// </summary>
internal sealed partial class GroupCommit
{
    private readonly Lock _lock = new();
    private List<Pending> _queue = [];
    private bool _flushing;

    private sealed record Pending(IReadOnlyList<(string Temp, string Target)> Renames, TaskCompletionSource Done);

    public Task CommitAsync(IReadOnlyList<(string Temp, string Target)> renames)
    {
        var pending = new Pending(renames, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            _queue.Add(pending);
            if (!_flushing)
            {
                _flushing = true;
                _ = Task.Run(Flush);
            }
        }
        return pending.Done.Task;
    }

    private void Flush()
    {
        while (true)
        {
            List<Pending> group;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }
                group = _queue;
                _queue = [];
            }

            try
            {
                SyncData(group.SelectMany(p => p.Renames).Select(r => r.Temp));
            }
            catch (Exception e)
            {
                Fail(group, e);
                continue;
            }

            // Each put succeeds or fails on its own: one bad key must not fail its neighbours.
            var renamed = new List<Pending>(group.Count);
            foreach (var pending in group)
            {
                try
                {
                    foreach (var (temp, target) in pending.Renames) File.Move(temp, target, overwrite: true);
                    renamed.Add(pending);
                }
                catch (Exception e)
                {
                    Fail([pending], e);
                }
            }

            try
            {
                SyncNames();
                foreach (var pending in renamed) pending.Done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var pending in renamed) pending.Done.TrySetException(e);
            }
        }
    }

    private static void Fail(IEnumerable<Pending> pendings, Exception e)
    {
        foreach (var pending in pendings)
        {
            foreach (var (temp, _) in pending.Renames) TryDelete(temp);
            pending.Done.TrySetException(e);
        }
    }

    private static void SyncData(IEnumerable<string> files)
    {
        if (OperatingSystem.IsLinux())
        {
            Sync();
            return;
        }
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
    }

    // Elsewhere the rename is journaled metadata; on Linux the directory entries need a sync of their own.
    private static void SyncNames()
    {
        if (OperatingSystem.IsLinux()) Sync();
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>sync(2): flushes every file system's dirty data and metadata; returns when done.</summary>
    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();
}
