using TattooDirectory.Backends.Local.Files;
using TattooDirectory.Core.Removal;
using TattooDirectory.Tests.Backends.Local;
using TattooDirectory.Tests.Contracts;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

/// <summary>The guarded table is still a table: the whole contract holds through the decorator.</summary>
public sealed class DenylistGuardTableContractTests : TableContract<DenylistGuard>
{
    private readonly SqliteStoreHost _host = new();

    protected override ValueTask<DenylistGuard> OpenAsync(TimeProvider timeProvider) =>
        ValueTask.FromResult(new DenylistGuard(_host.Open(timeProvider), RemovalTestData.Hasher));

    protected override ValueTask CloseAsync()
    {
        _host.Close();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _host.Dispose();
    }
}

/// <summary>The guarded blob store is still a blob store: the whole contract holds through the decorator.</summary>
public sealed class DenylistedBlobStoreContractTests : BlobStoreContract<DenylistedBlobStore>
{
    private readonly SqliteStoreHost _host = new();
    private readonly TempDirectory _files = new();

    protected override ValueTask<DenylistedBlobStore> OpenAsync(TimeProvider timeProvider)
    {
        var denylist = new Denylist(new DenylistGuard(_host.Open(timeProvider), RemovalTestData.Hasher), RemovalTestData.Hasher);
        return ValueTask.FromResult(new DenylistedBlobStore(new FileBlobStore(_files.Path, new FileBlobStoreOptions(), timeProvider), denylist));
    }

    protected override ValueTask CloseAsync()
    {
        _host.Dispose();
        _files.Dispose();
        return ValueTask.CompletedTask;
    }
}
