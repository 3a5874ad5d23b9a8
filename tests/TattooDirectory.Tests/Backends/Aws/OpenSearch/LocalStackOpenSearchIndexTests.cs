using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TattooDirectory.Backends.Aws;
using TattooDirectory.Backends.Aws.OpenSearch;
using TattooDirectory.Backends.Aws.Signing;
using TattooDirectory.Tests.Contracts;

namespace TattooDirectory.Tests.Backends.Aws.OpenSearch;

/// <summary>
/// The whole search index contract on LocalStack's OpenSearch, when LOCALSTACK_ENDPOINT points at
/// one (skipped with that reason otherwise). Each test gets an index of its own in one shared
/// domain, deleted afterwards.
/// </summary>
public sealed class LocalStackOpenSearchIndexTests : SearchIndexContract<OpenSearchIndex>, IAsyncLifetime
{
    private readonly HttpClient http = new();
    private AwsOptions settings = null!;
    private OpenSearchIndex? first;

    public async ValueTask InitializeAsync()
    {
        settings = LocalStackOpenSearch.Options(AwsEmulators.LocalStack());
        settings.OpenSearch.Endpoint = (await LocalStackOpenSearch.EndpointAsync(http, TestContext.Current.CancellationToken)).ToString();
        settings.OpenSearch.Index = $"artists-{Guid.NewGuid():N}";
        first = Open();
        await first.EnsureIndexAsync(TestContext.Current.CancellationToken);
    }

    protected override OpenSearchIndex CreateIndex() => first ?? throw new InvalidOperationException("The index is created in InitializeAsync.");

    // The data lives in the domain: a new adapter over the same index is a reopen.
    protected override OpenSearchIndex Reopen(OpenSearchIndex current) => Open();

    public async ValueTask DisposeAsync()
    {
        if (first is not null)
        {
            await SignedClients.Create(http, settings, TimeProvider.System)
                .SendAsync(new SignedRequest(HttpMethod.Delete, new Uri($"{settings.OpenSearch.Endpoint!.TrimEnd('/')}/{settings.OpenSearch.Index}"), OpenSearchHttp.Service));
        }

        http.Dispose();
    }

    private OpenSearchIndex Open() => SignedClients.Index(http, settings, TimeProvider.System);
}

/// <summary>
/// One OpenSearch domain in LocalStack per test run, created on first use. It gets a custom
/// endpoint under LocalStack's own address, so reaching it needs no DNS for
/// *.localhost.localstack.cloud, only the loopback endpoint the variable names.
/// </summary>
internal static class LocalStackOpenSearch
{
    private const string Domain = "tattoo-directory-tests";

    // The first domain of a version downloads OpenSearch inside LocalStack.
    private static readonly TimeSpan CreationTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Uri? endpoint;

    public static AwsOptions Options(Uri localStack) => new()
    {
        Region = "us-east-1",
        AccessKeyId = "test",
        SecretAccessKey = "test",
        OpenSearch = new OpenSearchOptions { Endpoint = new Uri(localStack, "/tattoo-directory-search").ToString() },
    };

    public static async Task<Uri> EndpointAsync(HttpClient http, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return endpoint ??= await CreateDomainAsync(http, AwsEmulators.LocalStack(), cancellationToken);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<Uri> CreateDomainAsync(HttpClient http, Uri localStack, CancellationToken cancellationToken)
    {
        var options = Options(localStack);
        var client = SignedClients.Create(http, options, TimeProvider.System);
        var custom = new Uri(options.OpenSearch.Endpoint!);
        var create = new JsonObject
        {
            ["DomainName"] = Domain,
            ["DomainEndpointOptions"] = new JsonObject { ["CustomEndpointEnabled"] = true, ["CustomEndpoint"] = custom.ToString() },
        };
        var created = await client.SendAsync(new SignedRequest(HttpMethod.Post, new Uri(localStack, "/2021-01-01/opensearch/domain"), OpenSearchHttp.Service)
        {
            Body = Encoding.UTF8.GetBytes(create.ToJsonString()),
            ContentType = "application/json",
        }, cancellationToken);
        // 409 ResourceAlreadyExistsException: an earlier run left the domain; reuse it.
        Assert.True(created.IsSuccess || created.StatusCode == HttpStatusCode.Conflict, $"CreateDomain answered {(int)created.StatusCode}: {Encoding.UTF8.GetString(created.Body)}");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CreationTimeout);
        while (true)
        {
            var described = await client.SendAsync(new SignedRequest(HttpMethod.Get, new Uri(localStack, $"/2021-01-01/opensearch/domain/{Domain}"), OpenSearchHttp.Service), timeout.Token);
            var status = JsonNode.Parse(described.Body)?["DomainStatus"];
            if (described.IsSuccess && status?["Processing"]?.GetValue<bool>() == false)
            {
                return custom;
            }

            // Polling a cluster that is starting in another process; there is no event to wait on.
            await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        }
    }
}
