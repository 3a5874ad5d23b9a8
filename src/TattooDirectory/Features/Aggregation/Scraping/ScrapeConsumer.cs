using Microsoft.Extensions.Options;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Queues;

namespace TattooDirectory.Features.Aggregation.Scraping;

/// <summary>
/// Takes jobs off the scrape queue and runs them (<see cref="ScrapeJobStep"/>), at most <see cref="ScrapeOptions.Concurrency"/>
/// at once. It only receives as many messages as it has free slots, so no message sits hidden
/// while waiting for a slot; while a job works, its message's visibility is extended at half the
/// timeout, so a slow artist (many images, a crawl delay) is not handed to a second worker, but
/// only for <see cref="ScrapeOptions.JobTimeout"/>: a job stuck past it is delivered again.
/// </summary>
internal sealed partial class ScrapeConsumer : IDisposable
{
    private readonly IQueue _queue;
    private readonly ScrapeJobStep _step;
    private readonly TimeProvider _time;
    private readonly ILogger<ScrapeConsumer> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly int _concurrency;
    private readonly TimeSpan _jobTimeout;
    private readonly TimeSpan _retryDelay;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];
    private int _active;
    private int _mostActive;
    private long _extensions;

    public ScrapeConsumer(IQueues queues, ScrapeJobStep step, IOptions<ScrapeOptions> options, TimeProvider time, ILogger<ScrapeConsumer> logger)
    {
        _queue = queues.Get(AggregationNames.ScrapeQueue, AggregationNames.ScrapeQueueSettings);
        _step = step;
        _time = time;
        _logger = logger;
        _concurrency = options.Value.Concurrency;
        _jobTimeout = options.Value.JobTimeout;
        _retryDelay = options.Value.RetryDelay;
        _slots = new SemaphoreSlim(_concurrency, _concurrency);
    }

    /// <summary>The most jobs that ever ran at once in this consumer.</summary>
    public int MostActive => Volatile.Read(ref _mostActive);

    /// <summary>Visibility extensions granted to running jobs so far.</summary>
    public long Extensions => Interlocked.Read(ref _extensions);

    /// <summary>
    /// Waits for a free slot, receives up to as many messages as there are free slots (at most
    /// 10, long-polling up to <paramref name="wait"/>) and starts them. Returns how many it started.
    /// </summary>
    public async Task<int> PollAsync(TimeSpan wait, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        var free = 1;
        while (free < QueueLimits.MaxReceiveMessages && _slots.Wait(0)) free++;
        IReadOnlyList<QueueMessage> messages;
        try
        {
            messages = await _queue.ReceiveAsync(free, wait, cancellationToken: ct);
        }
        catch
        {
            _slots.Release(free);
            throw;
        }

        if (free > messages.Count) _slots.Release(free - messages.Count);
        foreach (var message in messages) Start(message, ct);
        return messages.Count;
    }

    /// <summary>Completes when every started job has finished.</summary>
    public Task IdleAsync()
    {
        lock (_gate) return Task.WhenAll([.. _running]);
    }

    private void Start(QueueMessage message, CancellationToken ct)
    {
        var task = RunAsync(message, ct);
        lock (_gate)
        {
            if (!task.IsCompleted) _running.Add(task);
        }

        _ = task.ContinueWith(t =>
        {
            lock (_gate) _running.Remove(t);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(QueueMessage message, CancellationToken ct)
    {
        await Task.Yield();
        var now = Interlocked.Increment(ref _active);
        for (var seen = Volatile.Read(ref _mostActive); seen < now && Interlocked.CompareExchange(ref _mostActive, now, seen) != seen; seen = Volatile.Read(ref _mostActive))
        {
        }

        using var working = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var keepAlive = KeepVisibleAsync(message.ReceiptHandle, _time.GetUtcNow() + _jobTimeout, working.Token);
        bool? settled = null;
        try
        {
            settled = await _step.ProcessAsync(message, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the message comes back when its visibility ends.
        }
        finally
        {
            await working.CancelAsync();
            await keepAlive;
        }

        try
        {
            // After the keep-alive has stopped, so it cannot undo the back-off.
            if (settled == true) await _queue.DeleteAsync(message.ReceiptHandle, ct);
            else if (settled == false) await _queue.ChangeVisibilityAsync(message.ReceiptHandle, RetryDelay(message.ReceiveCount), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The message comes back when its visibility ends, and the job's idempotency absorbs the repeat.
            LogSettleFailed(_logger, message.MessageId, ex.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _slots.Release();
        }
    }

    /// <summary>
    /// When a message left for another delivery comes back: <see cref="ScrapeOptions.RetryDelay"/>,
    /// four times longer after each delivery (a site having a bad minute gets a few minutes), and at
    /// once after the last one, whose next receive moves it to the DLQ instead of leaving the run
    /// waiting out a whole visibility timeout for nothing.
    /// </summary>
    internal TimeSpan RetryDelay(int receiveCount)
    {
        if (receiveCount >= _queue.Settings.MaxReceiveCount) return TimeSpan.Zero;
        var delay = _retryDelay * Math.Pow(4, Math.Max(0, receiveCount - 1));
        return delay < _queue.Settings.VisibilityTimeout ? delay : _queue.Settings.VisibilityTimeout;
    }

    private async Task KeepVisibleAsync(string receiptHandle, DateTimeOffset until, CancellationToken ct)
    {
        var timeout = _queue.Settings.VisibilityTimeout;
        try
        {
            while (true)
            {
                await Task.Delay(timeout / 2, _time, ct);
                // Past its deadline the job has been cancelled; if it has not noticed, the message must still come back.
                if (_time.GetUtcNow() >= until) return;
                if (!await _queue.ChangeVisibilityAsync(receiptHandle, timeout, ct)) return;
                Interlocked.Increment(ref _extensions);
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended.
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // Losing the extension only risks a second delivery, which the job's idempotency absorbs.
            LogExtendFailed(_logger, ex.GetType().Name);
        }
    }

    public void Dispose() => _slots.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling scrape message {MessageId} failed ({Error}); it comes back when its visibility ends")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extending a scrape message's visibility failed ({Error})")]
    private static partial void LogExtendFailed(ILogger logger, string error);
}
