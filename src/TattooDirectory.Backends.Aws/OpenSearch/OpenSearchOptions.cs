using System.Text.RegularExpressions;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>The <c>Aws:OpenSearch</c> section: where the domain answers and which index holds the artists.</summary>
public sealed partial class OpenSearchOptions
{
    /// <summary>
    /// The domain endpoint (https://search-….es.amazonaws.com), or a LocalStack custom endpoint,
    /// which may carry a path. Empty leaves search unconfigured: every call fails and health says so.
    /// </summary>
    public string? Endpoint { get; set; }

    public string Index { get; set; } = "artists";

    public static bool IsValid(OpenSearchOptions options) =>
        (string.IsNullOrEmpty(options.Endpoint) || Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _))
        && IndexName().IsMatch(options.Index ?? "");

    // OpenSearch's own rule for index names, narrowed to what never needs escaping in a URL.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,254}$")]
    private static partial Regex IndexName();
}
