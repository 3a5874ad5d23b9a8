namespace TattooDirectory.Backends.Local.Files;

/// <summary>
/// The key rules of the blob port: relative paths of lowercase letters, digits, '-', '_', '.'
/// and '/'. Because only these characters pass, a key can never be absolute, contain a
/// backslash or a drive, and, with ".." and "." segments refused, never leave the root.
/// </summary>
internal static class BlobKeys
{
    public const int MaxLength = 512;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && HasValidShape(key) && !key.EndsWith('/');

    public static void Validate(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a blob key: use 1-{MaxLength} of a-z 0-9 - _ . / in non-empty segments, without '..'.", nameof(key));
        }
    }

    /// <summary>A list prefix follows the key rules, except that it may be empty or stop anywhere, even after a '/'.</summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && (prefix.Length > MaxLength || !HasValidShape(prefix)))
        {
            throw new ArgumentException($"'{prefix}' is not a blob key prefix.", nameof(prefix));
        }
    }

    /// <summary>True for a file or directory name a key can produce (so temp files never show up in listings).</summary>
    public static bool IsValidSegment(string name) => name.Length > 0 && name != "." && !name.Contains("..", StringComparison.Ordinal) && name.All(IsAllowed);

    private static bool HasValidShape(string value)
    {
        if (value[0] == '/' || value.Contains("..", StringComparison.Ordinal) || value.Contains("//", StringComparison.Ordinal) || !value.All(c => IsAllowed(c) || c == '/'))
        {
            return false;
        }

        // "." is the only segment left that would not name a child of its parent.
        return !value.Split('/').Contains(".");
    }

    private static bool IsAllowed(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
}
