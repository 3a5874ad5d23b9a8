using System.Collections.Concurrent;
using Spectre.Console;
using TattooDirectory.Features.Seed;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Seed;

/// <summary>
/// The seed command's progress bars. A report that lands after the seed has returned races the
/// command completing the bars; under load that raced into "Collection was modified", so the
/// seed command exited 1 (issue 9, read at first as a trace found by audit-removal).
/// </summary>
public sealed class SeedProgressBarsTests
{
    [Fact]
    public async Task Every_report_reaches_its_bar_before_Report_returns_so_none_lands_after_the_bars_completed()
    {
        using var output = new StringWriter();

        await CommandRunner.Capturing(output).Progress().StartAsync(ctx =>
        {
            var late = new LateWork();
            SeedProgressBars bars;
            // Whatever a reporter hands on to run elsewhere (a synchronization context, the thread
            // pool) runs late here, as it may on a loaded machine: only after the bars completed.
            using (late.Install())
            {
                bars = new SeedProgressBars(ctx);
                bars.Report(new SeedProgress("images", 500, 0));
                bars.Report(new SeedProgress("store", 40, 40));
            }
            bars.Complete();
            late.RunAll();

            Assert.Equal(["Drawing portfolio images (500)", "Writing the store"], bars.Bars.Select(b => b.Description));
            Assert.All(bars.Bars, bar => Assert.True(bar.IsFinished, $"'{bar.Description}' is at {bar.Value} of {bar.MaxValue}"));
            return Task.CompletedTask;
        });
    }

    /// <summary>A synchronization context that keeps what is posted to it until told to run it.</summary>
    private sealed class LateWork : SynchronizationContext
    {
        private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public IDisposable Install()
        {
            var previous = Current;
            SetSynchronizationContext(this);
            return new Restore(previous);
        }

        public void RunAll()
        {
            while (_posted.TryDequeue(out var work)) work.Callback(work.State);
        }

        private sealed class Restore(SynchronizationContext? previous) : IDisposable
        {
            public void Dispose() => SetSynchronizationContext(previous);
        }
    }
}
