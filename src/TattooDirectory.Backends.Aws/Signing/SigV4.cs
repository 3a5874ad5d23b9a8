using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace TattooDirectory.Backends.Aws.Signing;

/// <summary>A request as SigV4 sees it: the headers the caller set (Content-Type included) and the exact body bytes.</summary>
public sealed record SignableRequest(HttpMethod Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body);

/// <summary>The outcome of signing: the headers to add to the request, and the canonical request (for tests and diagnostics).</summary>
public sealed record SigV4Signature(string CanonicalRequest, string Authorization, IReadOnlyList<KeyValuePair<string, string>> HeadersToAdd);

/// <summary>
/// Signature Version 4 for services called over plain HTTP (non-S3: path segments are encoded
/// twice). This builds the canonical request; AWSSDK.Core's <see cref="AWS4Signer"/> derives
/// the key, the string to sign and the signature, so the cryptography is the SDK's own.
/// </summary>
public static partial class SigV4
{
    public const string DateHeader = "X-Amz-Date";
    public const string TokenHeader = "X-Amz-Security-Token";

    public static SigV4Signature Sign(SignableRequest request, ImmutableCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var added = new List<KeyValuePair<string, string>>();
        var headers = request.Headers.ToList();
        AddUnlessPresent("Host", request.Url.IsDefaultPort ? request.Url.Host : request.Url.Authority, toRequest: false);
        AddUnlessPresent(DateHeader, now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), toRequest: true);
        if (credentials.UseToken)
        {
            AddUnlessPresent(TokenHeader, credentials.Token, toRequest: true);
        }

        var (canonical, signedHeaders) = CanonicalRequest(request with { Headers = headers });
        var result = AWS4Signer.ComputeSignature(credentials, region, now.UtcDateTime, service, signedHeaders, canonical);
        added.Add(new("Authorization", result.ForAuthorizationHeader));
        return new SigV4Signature(canonical, result.ForAuthorizationHeader, added);

        // Host is signed but set by HttpClient from the URL, so it is never added to the request.
        void AddUnlessPresent(string name, string value, bool toRequest)
        {
            if (headers.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

            headers.Add(new(name, value));
            if (toRequest)
            {
                added.Add(new(name, value));
            }
        }
    }

    /// <summary>The canonical request and the signed header list, per the SigV4 specification.</summary>
    public static (string CanonicalRequest, string SignedHeaders) CanonicalRequest(SignableRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => Spaces().Replace(h.Value.Trim(), " ")))))
            .ToList();
        var signedHeaders = string.Join(';', headers.Select(h => h.Name));
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(request.Url)).Append('\n')
            .Append(CanonicalQuery(request.Url)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(request.Body.Span)));
        return (canonical.ToString(), signedHeaders);
    }

    // The path as sent is already percent-encoded once; SigV4 (outside S3) encodes it again.
    private static string CanonicalPath(Uri url) =>
        url.AbsolutePath.Length == 0 ? "/" : string.Join('/', url.AbsolutePath.Split('/').Select(Uri.EscapeDataString));

    private static string CanonicalQuery(Uri url)
    {
        var query = url.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Name: Encode(parts[0]), Value: parts.Length > 1 ? Encode(parts[1]) : ""))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

        static string Encode(string value) => Uri.EscapeDataString(Uri.UnescapeDataString(value));
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
