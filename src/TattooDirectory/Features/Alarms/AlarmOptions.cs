using Microsoft.Extensions.Options;

namespace TattooDirectory.Features.Alarms;

/// <summary>
/// <c>Alarms:*</c>: how often the rules are evaluated and where their thresholds lie
/// (product.md §9 and §8.6). A numeric alarm clears only once its value falls below
/// <see cref="ClearAt"/> × its threshold, so a value hovering at the threshold does not flap.
/// </summary>
public sealed class AlarmOptions
{
    public const string Section = "Alarms";

    /// <summary>Off: no rule is evaluated and nothing is notified; the stored states stay as they were.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan EvaluateEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Warning when the index is further behind the store than this.</summary>
    public TimeSpan SyncLagThreshold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Warning when more than this share (0 – 1) of the requests in <see cref="ErrorRateWindow"/> answered 5xx.</summary>
    public double ErrorRateThreshold { get; set; } = 0.01;

    public TimeSpan ErrorRateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Warning when the 95th percentile of the searches in <see cref="SearchWindow"/> took longer than this.</summary>
    public TimeSpan SearchP95Threshold { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan SearchWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Fewer requests (or searches) than this in a window say nothing: one failure in three requests at night is not a 33 % error rate.</summary>
    public int MinSamples { get; set; } = 20;

    /// <summary>The share of its threshold a numeric value must fall below to clear an active alarm (0 – 1].</summary>
    public double ClearAt { get; set; } = 0.8;
}

/// <summary>Checks the settings on start, so a bad threshold stops the app with a message naming it.</summary>
internal sealed class AlarmOptionsValidator : IValidateOptions<AlarmOptions>
{
    private static readonly TimeSpan LongestWindow = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, AlarmOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string setting, string rule)
        {
            if (!ok) failures.Add($"{AlarmOptions.Section}:{setting} {rule}");
        }

        Check(options.EvaluateEvery >= TimeSpan.FromSeconds(1) && options.EvaluateEvery <= LongestWindow, nameof(AlarmOptions.EvaluateEvery), "must be from 1 second to 1 hour.");
        Check(options.SyncLagThreshold > TimeSpan.Zero, nameof(AlarmOptions.SyncLagThreshold), "must be positive.");
        Check(options.ErrorRateThreshold is > 0 and < 1, nameof(AlarmOptions.ErrorRateThreshold), "must be a share between 0 and 1, e.g. 0.01 for 1 %.");
        Check(options.ErrorRateWindow >= TimeSpan.FromSeconds(10) && options.ErrorRateWindow <= LongestWindow, nameof(AlarmOptions.ErrorRateWindow), "must be from 10 seconds to 1 hour.");
        Check(options.SearchP95Threshold > TimeSpan.Zero, nameof(AlarmOptions.SearchP95Threshold), "must be positive.");
        Check(options.SearchWindow >= TimeSpan.FromSeconds(10) && options.SearchWindow <= LongestWindow, nameof(AlarmOptions.SearchWindow), "must be from 10 seconds to 1 hour.");
        Check(options.MinSamples >= 1, nameof(AlarmOptions.MinSamples), "must be at least 1.");
        Check(options.ClearAt is > 0 and <= 1, nameof(AlarmOptions.ClearAt), "must be above 0 and at most 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
