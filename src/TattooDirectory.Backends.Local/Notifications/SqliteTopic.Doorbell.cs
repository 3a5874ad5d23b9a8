namespace TattooDirectory.Backends.Local.Notifications;

/// <summary>
/// Lets a dispatcher in this process sleep until a publish commits instead of polling the file:
/// a publish reaches its subscribers within milliseconds, and an idle dispatcher costs nothing.
/// Publishes from another process are only seen when the wait times out.
/// </summary>
public sealed partial class SqliteTopic
{
    private TaskCompletionSource _published = NewDoorbell();
    private long _publishCount;

    /// <summary>
    /// A mark to pass to <see cref="WaitForPublishAsync"/>. Take it before reading
    /// <see cref="PendingAsync"/>, so a publish that commits in between is not slept through.
    /// </summary>
    public long PublishMark => Interlocked.Read(ref _publishCount);

    /// <summary>
    /// Returns as soon as a message was published in this process after <paramref name="mark"/>
    /// was taken, or when <paramref name="timeout"/> (on this topic's TimeProvider) passes.
    /// </summary>
    public async Task WaitForPublishAsync(long mark, TimeSpan timeout, CancellationToken ct = default)
    {
        // The signal is read before the count: a publish landing between them completes this very
        // signal (the count moves first, then the signal is swapped and completed), so it cannot be missed.
        var published = Volatile.Read(ref _published).Task;
        if (PublishMark != mark || timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(published, Task.Delay(timeout, _time, stopTimer.Token));
        await stopTimer.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    private void RingDoorbell()
    {
        Interlocked.Increment(ref _publishCount);
        Interlocked.Exchange(ref _published, NewDoorbell()).TrySetResult();
    }

    private static TaskCompletionSource NewDoorbell() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
