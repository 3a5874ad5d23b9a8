using System.Net;

namespace TattooDirectory.Backends.Aws.OpenSearch;

/// <summary>
/// OpenSearch refused a call. Only the status and the error type are kept: OpenSearch's reason
/// text can quote document values (names, bios), which must never reach a log.
/// </summary>
public sealed class OpenSearchException(string operation, HttpStatusCode status, string? errorType)
    : Exception($"OpenSearch refused {operation}: {(int)status} {errorType ?? "(no error type)"}.")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>OpenSearch's <c>error.type</c> (index_not_found_exception, ...), when the body had one.</summary>
    public string? ErrorType { get; } = errorType;
}
