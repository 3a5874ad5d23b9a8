using Spectre.Console;

namespace TattooDirectory.Features.Seed;

/// <summary>
/// The seed command's progress: one bar per phase of <see cref="Seeder.SeedAsync"/>. A report is
/// applied on the thread that makes it, under a lock, before <see cref="Report"/> returns. The
/// seeder reports from many image writers at once, and every report must be on its bar by the
/// time the seed returns: <see cref="Progress{T}"/> posted each one to the thread pool, so under
/// load the last one could add its bar while <see cref="Complete"/> was walking them, and the
/// seed command failed with "Collection was modified" (issue 9).
/// </summary>
internal sealed class SeedProgressBars(ProgressContext context) : IProgress<SeedProgress>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ProgressTask> _bars = new(StringComparer.Ordinal);

    /// <summary>The bars shown so far, in the order their phases first reported.</summary>
    public IReadOnlyList<ProgressTask> Bars
    {
        get
        {
            lock (_lock) return [.. _bars.Values];
        }
    }

    public void Report(SeedProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (!_bars.TryGetValue(value.Phase, out var bar))
            {
                _bars[value.Phase] = bar = context.AddTask(value.Phase, maxValue: Math.Max(1, value.Total)).IsIndeterminate(value.Total == 0);
            }
            bar.Description = value.Phase == "images" ? $"Drawing portfolio images ({value.Done:N0})" : "Writing the store";
            if (value.Total > 0) bar.Value = value.Done;
        }
    }

    /// <summary>Fills every bar: the phases that reported without a total are done too once the seed returned.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            foreach (var bar in _bars.Values) bar.IsIndeterminate(false).Value = bar.MaxValue;
        }
    }
}
