using System.Net;

namespace TattooDirectory.Backends.Aws;

/// <summary>
/// An error answer from an AWS API called through the signed client that the calling adapter does
/// not turn into one of its port's exceptions: the service, its error code (<c>NotFound</c>,
/// <c>Throttling</c> once retries ran out, <c>AccessDenied</c>, ...) and the HTTP status.
/// </summary>
public sealed class AwsApiException(string service, string code, string message, HttpStatusCode status)
    : Exception($"AWS {service} answered {(int)status} {code}: {message}")
{
    public string Service { get; } = service;

    public string Code { get; } = code;

    public HttpStatusCode Status { get; } = status;
}
