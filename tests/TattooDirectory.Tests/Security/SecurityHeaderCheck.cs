using TattooDirectory.Tests.Features.Web;

namespace TattooDirectory.Tests.Security;

/// <summary>The security headers every response carries (Features/Web/SecurityHeaders.cs), as a check that lists what is wrong instead of stopping at the first.</summary>
internal static class SecurityHeaderCheck
{
    /// <summary>The policy of the API reference: the site's, with its third-party page's inline boot code allowed.</summary>
    public static string ApiReferencePolicy { get; } = HttpPolicyTests.Policy
        .Replace("script-src 'self'", "script-src 'self' 'unsafe-inline'", StringComparison.Ordinal)
        .Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

    /// <summary>The policy a path gets on a host without a tile server.</summary>
    public static string PolicyFor(string path) =>
        path == "/docs" || path.StartsWith("/docs/", StringComparison.Ordinal) ? ApiReferencePolicy : HttpPolicyTests.Policy;

    /// <summary>Each header that is missing or differs, as "name: got 'x'"; empty when all are right.</summary>
    public static List<string> Differences(HttpResponseMessage response, string policy)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Content-Security-Policy"] = policy,
            ["X-Content-Type-Options"] = "nosniff",
            ["Referrer-Policy"] = "strict-origin-when-cross-origin",
            ["X-Frame-Options"] = "DENY",
            ["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()",
        };
        var differences = new List<string>();
        foreach (var (name, value) in expected)
        {
            var actual = response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
            if (actual != value) differences.Add($"{name}: got '{actual ?? "(none)"}'");
        }
        return differences;
    }
}
