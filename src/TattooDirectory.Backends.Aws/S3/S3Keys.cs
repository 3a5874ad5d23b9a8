using System.Text.RegularExpressions;

namespace TattooDirectory.Backends.Aws.S3;

/// <summary>
/// The blob port's key rules (relative paths of a-z 0-9 - _ . in non-empty '/' segments, no "."
/// or ".." segment, at most 512 characters), so S3 accepts exactly what the Local store does.
/// </summary>
internal static partial class S3Keys
{
    public const int MaxLength = 512;

    public static void Validate(string key)
    {
        if (key is not { Length: > 0 and <= MaxLength } || !KeyShape().IsMatch(key))
        {
            throw new ArgumentException($"'{key}' is not a blob key: use 1-{MaxLength} of a-z 0-9 - _ . / in non-empty segments, without '..'.", nameof(key));
        }
    }

    /// <summary>A prefix may also be empty or end in '/'.</summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > MaxLength || (prefix.Length > 0 && !PrefixShape().IsMatch(prefix)))
        {
            throw new ArgumentException($"'{prefix}' is not a blob key prefix.", nameof(prefix));
        }
    }

    [GeneratedRegex(@"^(?!.*\.\.)(?!(?:.*/)?\.(?:/|$))[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+)*$")]
    private static partial Regex KeyShape();

    [GeneratedRegex(@"^(?!.*\.\.)(?!(?:.*/)?\.(?:/|$))(?:[a-z0-9_.\-]+/)*[a-z0-9_.\-]*$")]
    private static partial Regex PrefixShape();
}
