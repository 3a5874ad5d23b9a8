using System.Text.Json;
using System.Text.Json.Serialization;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Search;

namespace TattooDirectory.Core.Catalog;

/// <summary>
/// How entities are stored in an item's Data. Source-generated so serialisation stays off the
/// reflection path on the hot sync and bulk-load loops.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Artist))]
[JsonSerializable(typeof(Studio))]
[JsonSerializable(typeof(PortfolioImage))]
[JsonSerializable(typeof(ArtistDocument))]
[JsonSerializable(typeof(StudioMembership))]
[JsonSerializable(typeof(SyncDeadLetter))]
public sealed partial class CatalogJson : JsonSerializerContext;

/// <summary>The item that links an artist into a studio's partition.</summary>
public sealed record StudioMembership(string ArtistId, string Name);

/// <summary>A change record the sync gave up on after its attempts (product.md §6).</summary>
public sealed record SyncDeadLetter(long Sequence, string Pk, string Sk, string? ArtistId, string Error, int Attempts, DateTimeOffset FailedAt);
