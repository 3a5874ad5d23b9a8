namespace TattooDirectory.Backends.Local.Files;

/// <summary>
/// URL shapes and the signing key of the <see cref="FileBlobStore"/>. A null key means a random
/// one per process, so signed URLs stop verifying after a restart; set it to keep them valid.
/// </summary>
public sealed record FileBlobStoreOptions(string PublicBasePath = "/images", string SignedBasePath = "/blobs", byte[]? SigningKey = null);
