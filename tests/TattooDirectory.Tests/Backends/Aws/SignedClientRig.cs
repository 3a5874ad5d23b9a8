using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Tests.Backends.Aws;

/// <summary>
/// AWS options and a signed client whose HTTP goes to a <see cref="CannedHttp"/>: the shape tests
/// of the adapters built on the signed client. No backoff between retries, so throttling tests
/// need no clock; every service's endpoint is a loopback address nothing listens on.
/// </summary>
internal sealed class SignedClientRig
{
    public SignedClientRig(Action<AwsOptions>? configure = null)
    {
        var options = AwsEmulators.Options();
        options.SignedClient = new SignedClientOptions { BaseDelay = TimeSpan.Zero };
        options.Sns.ServiceUrl = "http://127.0.0.1:9/";
        options.StepFunctions.ServiceUrl = "http://127.0.0.1:9/";
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Client = new SignedHttpClient(new HttpClient(Http, disposeHandler: false), new AwsCredentialSource(Options), Options, new FakeTimeProvider(), NullLogger<SignedHttpClient>.Instance);
    }

    public CannedHttp Http { get; } = new();

    public IOptions<AwsOptions> Options { get; }

    public SignedHttpClient Client { get; }
}
