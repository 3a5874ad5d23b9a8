using Microsoft.AspNetCore.Components;

namespace TattooDirectory.Features.Web;

/// <summary>The fingerprinted asset URLs the page endpoints carry, for pages rendered without one.</summary>
internal sealed class PageAssets(EndpointDataSource endpoints)
{
    private readonly Lazy<ResourceAssetCollection?> _collection = new(() =>
        endpoints.Endpoints.FirstOrDefault(HasAssets)?.Metadata.GetMetadata<ResourceAssetCollection>());

    public ResourceAssetCollection? Collection => _collection.Value;

    private static bool HasAssets(Endpoint endpoint) => endpoint.Metadata.GetMetadata<ResourceAssetCollection>() is IReadOnlyList<ResourceAsset> { Count: > 0 };
}
