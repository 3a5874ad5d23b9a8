using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace TattooDirectory.Backends.Aws;

/// <summary>
/// The credentials every AWS client uses: the configured static pair (emulators), else the SDK's
/// default chain, resolved on first use so a host without AWS access can still start.
/// </summary>
public sealed class AwsCredentialSource(IOptions<AwsOptions> options)
{
    private readonly Lazy<AWSCredentials> _credentials = new(() => Resolve(options.Value));

    public AWSCredentials Credentials => _credentials.Value;

    public Task<ImmutableCredentials> GetAsync() => Credentials.GetCredentialsAsync();

    private static AWSCredentials Resolve(AwsOptions options) => options.HasStaticCredentials
        ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
        : DefaultAWSCredentialsIdentityResolver.GetCredentials();
}
