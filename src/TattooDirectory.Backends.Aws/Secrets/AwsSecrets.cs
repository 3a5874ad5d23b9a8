using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using TattooDirectory.Backends.Aws.Signing;

namespace TattooDirectory.Backends.Aws.Secrets;

/// <summary>
/// Settings whose values live in Secrets Manager: <c>Secrets:&lt;Setting&gt;</c> (in the
/// environment <c>Secrets__&lt;Setting&gt;</c>, as the CDK stack sets them) holds the secret's ARN,
/// and the secret's current SecretString becomes the configuration value <c>&lt;Setting&gt;</c> at
/// start (e.g. <c>Secrets__Admin__Token</c> → <c>Admin:Token</c>). So no value sits in the template,
/// the function's configuration or its logs; a changed secret takes effect on the next cold start.
/// </summary>
public static class AwsSecrets
{
    public const string Section = "Secrets";

    /// <summary>
    /// Adds the secrets named under <see cref="Section"/> in <paramref name="current"/> (the
    /// configuration so far, which also gives the <c>Aws:</c> region, credentials and
    /// <c>Aws:SecretsManager:ServiceUrl</c>). Added last, a secret's value wins over a plain
    /// setting of the same name. Nothing is added when no secret is named.
    /// </summary>
    /// <param name="handler">The HTTP handler to reach Secrets Manager with; the system's by default.</param>
    /// <exception cref="InvalidOperationException">a named secret cannot be read: start fails, naming the setting and the error code, never a value.</exception>
    public static IConfigurationBuilder AddAwsSecrets(this IConfigurationBuilder builder, IConfiguration current, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(current);
        var secrets = current.GetSection(Section).AsEnumerable(makePathsRelative: true)
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .Select(s => new NamedSecret(s.Key, s.Value!))
            .OrderBy(s => s.Setting, StringComparer.Ordinal)
            .ToList();
        if (secrets.Count == 0) return builder;

        var options = current.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
        return builder.Add(new SecretsSource(secrets, options, handler));
    }

    private sealed record NamedSecret(string Setting, string SecretId);

    private sealed class SecretsSource(IReadOnlyList<NamedSecret> secrets, AwsOptions options, HttpMessageHandler? handler) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new SecretsProvider(secrets, options, handler);
    }

    private sealed class SecretsProvider(IReadOnlyList<NamedSecret> secrets, AwsOptions options, HttpMessageHandler? handler) : ConfigurationProvider
    {
        // Configuration loads synchronously, once, while the host is built: nothing else waits on this thread yet.
        public override void Load() => Data = LoadAsync().GetAwaiter().GetResult();

        private async Task<Dictionary<string, string?>> LoadAsync()
        {
            var wrapped = Microsoft.Extensions.Options.Options.Create(options);
            using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            var api = new SecretsManagerApi(new SignedHttpClient(http, new AwsCredentialSource(wrapped), wrapped, TimeProvider.System, NullLogger<SignedHttpClient>.Instance), options);
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var secret in secrets)
            {
                try
                {
                    values[secret.Setting] = await api.GetSecretStringAsync(secret.SecretId, CancellationToken.None);
                }
                catch (Exception e) when (e is AwsApiException or HttpRequestException)
                {
                    var code = (e as AwsApiException)?.Code ?? e.GetType().Name;
                    throw new InvalidOperationException($"{Section}:{secret.Setting} names secret {secret.SecretId}, which could not be read ({code}).", e);
                }
            }

            return values;
        }
    }
}
