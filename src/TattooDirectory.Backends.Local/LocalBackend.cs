using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local.Files;
using TattooDirectory.Backends.Local.Lucene;
using Microsoft.Extensions.Logging;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Backends.Local.Queues;
using TattooDirectory.Backends.Local.Sqlite;
using TattooDirectory.Backends.Local.Workflow;
using TattooDirectory.Core.Aggregation;
using TattooDirectory.Core.Blobs;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Queues;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Search;
using TattooDirectory.Core.Storage;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Where the store, index and blobs live; relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "data";
}

/// <summary>The embedded backend: SQLite for the table and its change stream, Lucene.NET for search, files for blobs.</summary>
public static class LocalBackend
{
    public static IServiceCollection AddLocalBackend(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Storage:DataDirectory is required.")
            .ValidateOnStart();
        services.AddSingleton<LocalPaths>();
        // One owner for the adapters' lifetimes; the port registrations below only forward to it.
        services.AddOptions<DenylistOptions>().BindConfiguration(DenylistOptions.Section)
            .Validate(DenylistOptions.IsValid, "Denylist:Key must be base64 of at least 32 bytes.").ValidateOnStart();
        services.AddSingleton(sp => new LocalStores(sp.GetRequiredService<LocalPaths>().Root, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DenylistOptions>>().Value.KeyBytes()));
        services.AddSingleton<ITable>(sp => sp.GetRequiredService<LocalStores>().Table);
        services.AddSingleton<IChangeStream>(sp => sp.GetRequiredService<LocalStores>().Store);
        services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<LocalStores>().Index);
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<LocalStores>().BlobStore);
        services.AddSingleton(sp => sp.GetRequiredService<LocalStores>().Denylist);
        services.AddSingleton(sp => sp.GetRequiredService<LocalStores>().Index);
        services.AddSingleton(sp => sp.GetRequiredService<LocalStores>().Blobs);
        // A file of its own: notification traffic never contends with the store's single writer.
        services.AddSingleton(sp => new SqliteTopic(sp.GetRequiredService<LocalPaths>().Notifications, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITopic>(sp => sp.GetRequiredService<SqliteTopic>());
        // Queues and workflows have files of their own too, for the same reason.
        services.AddSingleton(sp => new SqliteQueues(sp.GetRequiredService<LocalPaths>().Queues, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IQueues>(sp => sp.GetRequiredService<SqliteQueues>());
        services.AddSingleton(sp => new LocalWorkflowEngine(
            StateMachineFiles.ToDictionary(m => m.Key, m => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, m.Value))),
            sp.GetServices<IWorkflowTask>(),
            sp.GetRequiredService<LocalPaths>().Workflows,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LocalWorkflowEngine>>(),
            sp.GetService<IWorkflowObserver>()));
        services.AddSingleton<IWorkflowEngine>(sp => sp.GetRequiredService<LocalWorkflowEngine>());
        services.AddHostedService<WorkflowResumer>();
        return services;
    }

    /// <summary>
    /// The state machines, as ASL files next to the app: the same files the CDK deploys to Step
    /// Functions. Their Task states name handlers the features register as <see cref="IWorkflowTask"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> StateMachineFiles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AggregationNames.StateMachine] = Path.Combine("Features", "Aggregation", "aggregation.asl.json"),
    };

    /// <summary>Serves blobs from disk: public immutable images, and signed URLs for everything else.</summary>
    public static IEndpointRouteBuilder MapLocalBlobs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/{**key}", (string key, FileBlobStore blobs, HttpContext context, CancellationToken ct) =>
            ServeAsync(key, blobs, context, "public, max-age=31536000, immutable", publicOnly: true, ct)).ExcludeFromDescription();
        app.MapGet("/blobs/{**key}", (string key, long? expires, string? signature, FileBlobStore blobs, HttpContext context, CancellationToken ct) =>
            expires is null || signature is null || !blobs.VerifySignature(key, expires.Value, signature)
                ? Task.FromResult(Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid or expired signature"))
                : ServeAsync(key, blobs, context, "private, no-store", publicOnly: false, ct)).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ServeAsync(string key, FileBlobStore blobs, HttpContext context, string cacheControl, bool publicOnly, CancellationToken ct)
    {
        if (blobs.GetFilePath(key) is not { } path || await blobs.HeadAsync(key, ct) is not { } info) return Results.NotFound();
        // Only blobs stored as public (their Cache-Control says so) are served without a signature.
        if (publicOnly && info.CacheControl?.Contains("public", StringComparison.OrdinalIgnoreCase) != true) return Results.NotFound();
        context.Response.Headers.CacheControl = info.CacheControl ?? cacheControl;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.Length:x}-{info.LastModified.UtcTicks:x}\"");
        return Results.File(path, info.ContentType, lastModified: info.LastModified, entityTag: etag, enableRangeProcessing: true);
    }
}

/// <summary>The files of the Local backend under one data directory.</summary>
public sealed class LocalPaths(string root)
{
    public LocalPaths(IOptions<StorageOptions> options, IHostEnvironment environment)
        : this(Path.Combine(environment.ContentRootPath, options.Value.DataDirectory))
    {
    }

    public string Root { get; } = Path.GetFullPath(root);
    public string Database => Path.Combine(Directory.CreateDirectory(Root).FullName, "store.db");
    public string Index => Path.Combine(Root, "index");
    public string Blobs => Path.Combine(Root, "blobs");
    public string Notifications => Path.Combine(Directory.CreateDirectory(Root).FullName, "notifications.db");
    public string Queues => Path.Combine(Directory.CreateDirectory(Root).FullName, SqliteQueues.FileName);
    public string Workflows => Path.Combine(Directory.CreateDirectory(Root).FullName, LocalWorkflowEngine.FileName);

    /// <summary>The key that signs blob URLs, kept beside the data so signed URLs outlive a restart.</summary>
    public byte[] BlobSigningKey() => KeyFile("blob-signing.key");

    /// <summary>
    /// The HMAC key of the removal denylist (ADR 4). Losing it makes every denylist entry
    /// unmatchable, so it lives with the data and is backed up with it.
    /// </summary>
    public byte[] DenylistKey() => KeyFile("denylist.key");

    /// <summary>A random 32-byte key in a file under the root, created on first use, readable by the owner only.</summary>
    private byte[] KeyFile(string name)
    {
        var path = Path.Combine(Directory.CreateDirectory(Root).FullName, name);
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        // Written whole under a temporary name with owner-only permissions from the start, then
        // moved into place, so the key is never readable by others nor seen half-written.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temp, options))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another opener created it first: theirs is the key.
            File.Delete(temp);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}

/// <summary>
/// The three Local adapters opened on one data directory without a host: for the command line,
/// tests and the benchmark harness. <see cref="Table"/> and <see cref="BlobStore"/> are what
/// writers use (the denylist enforced at the write); <see cref="Store"/> and <see cref="Blobs"/>
/// are the raw adapters. Disposing closes the store and the index.
/// </summary>
public sealed class LocalStores : IDisposable
{
    /// <param name="denylistKey">The configured denylist key, or null to use (or create) the one kept in the data directory.</param>
    public LocalStores(string root, TimeProvider time, byte[]? denylistKey = null)
    {
        Paths = new LocalPaths(root);
        Store = new SqliteStore(Paths.Database, time);
        Index = new LuceneSearchIndex(Paths.Index);
        Blobs = new FileBlobStore(Paths.Blobs, new FileBlobStoreOptions(SigningKey: Paths.BlobSigningKey()), time);
        var hasher = new IdentityHasher(denylistKey ?? Paths.DenylistKey());
        Table = new DenylistGuard(Store, hasher);
        Denylist = new Denylist(Table, hasher);
        BlobStore = new DenylistedBlobStore(Blobs, Denylist);
    }

    public LocalPaths Paths { get; }
    public SqliteStore Store { get; }
    public LuceneSearchIndex Index { get; }
    public FileBlobStore Blobs { get; }
    public ITable Table { get; }
    public IBlobStore BlobStore { get; }
    public Denylist Denylist { get; }

    public void Dispose()
    {
        Index.Dispose();
        Store.Dispose();
    }
}

/// <summary>
/// Picks up the executions a previous process left running when the host starts: the engine
/// continues each at the state it was in, in the background.
/// </summary>
internal sealed partial class WorkflowResumer(LocalWorkflowEngine engine, ILogger<WorkflowResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var resumed = await engine.ResumeAsync(cancellationToken);
        if (resumed > 0) LogResumed(logger, resumed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} workflow executions left running by the previous process")]
    private static partial void LogResumed(ILogger logger, int count);
}
