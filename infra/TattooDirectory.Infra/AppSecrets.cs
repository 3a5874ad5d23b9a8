using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace TattooDirectory.Infra;

/// <summary>
/// The app's secrets in Secrets Manager. The functions get each secret's ARN in their environment
/// (<c>Secrets__&lt;setting&gt;</c>) and read the value at start, so no value sits in the template or
/// in the function configuration.
/// </summary>
internal sealed class AppSecrets : Construct
{
    public AppSecrets(Construct scope, string id)
        : base(scope, id)
    {
        AdminToken = new Secret(this, "AdminToken", new SecretProps
        {
            Description = "Admin:Token, the operator's bearer token for /v1/admin and the /admin sign-in.",
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 48, ExcludePunctuation = true, IncludeSpace = false },
        });

        // 64 characters of [A-Za-z0-9] are valid base64 for 48 bytes: Denylist:Key wants base64 of at least 32.
        DenylistKey = new Secret(this, "DenylistKey", new SecretProps
        {
            Description = "Denylist:Key, the HMAC key of the denylist's identity hashes. Never rotate it: old entries would stop matching.",
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 64, ExcludePunctuation = true, IncludeSpace = false },
        });

        GooglePlacesApiKey = new Secret(this, "GooglePlacesApiKey", new SecretProps
        {
            Description = "Aggregation:Sources:GooglePlaces:ApiKey. Put the real key here after the first deploy; the source stays off while it is not valid.",
        });
    }

    public Secret AdminToken { get; }

    public Secret DenylistKey { get; }

    public Secret GooglePlacesApiKey { get; }
}
