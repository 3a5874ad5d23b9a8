using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TattooDirectory.Backends.Local;

namespace TattooDirectory.Hosting;

/// <summary>
/// The operator token every admin route checks, resolved once per process: <c>Admin:Token</c>
/// when set; otherwise, on the Local backend, a random token kept in the data directory (created
/// on the first start, owner-only); otherwise none, and every admin route refuses everyone.
/// </summary>
public sealed class AdminToken
{
    public const string FileName = "admin-token";

    private readonly byte[]? _hash;

    public AdminToken(IOptions<AdminOptions> options, IOptions<BackendOptions> backend, IServiceProvider services)
    {
        if (options.Value.Token is { } configured)
        {
            _hash = Hash(configured);
            Fingerprint = FingerprintOf(configured);
            return;
        }
        if (!string.Equals(backend.Value.Backend, "Local", StringComparison.OrdinalIgnoreCase)) return;

        // Resolved here rather than injected: the data directory only exists on the Local backend.
        FilePath = Path.Combine(Directory.CreateDirectory(services.GetRequiredService<LocalPaths>().Root).FullName, FileName);
        var (token, created) = ReadOrCreate(FilePath);
        _hash = Hash(token);
        Fingerprint = FingerprintOf(token);
        // The only place the generated token is ever shown; it goes to the console, never to a log sink.
        Announcement = created
            ? $"Operator token for /admin and /v1/admin (shown once; kept in {FilePath}):{Environment.NewLine}  {token}"
            : $"Operator token: see {FilePath} (set Admin:Token to use your own).";
    }

    /// <summary>Where the generated token lives; null when it comes from configuration or there is none.</summary>
    public string? FilePath { get; }

    /// <summary>What to print on the console at start; null when the token comes from configuration.</summary>
    public string? Announcement { get; }

    /// <summary>Names the token a sign-in cookie was issued for without revealing it, so a token change ends every sign-in.</summary>
    public string? Fingerprint { get; }

    public bool IsSet => _hash is not null;

    /// <summary>Compares SHA-256 digests in constant time, so neither the token nor its length can be probed by timing.</summary>
    public bool Matches(string? candidate) =>
        _hash is not null && candidate is not null && CryptographicOperations.FixedTimeEquals(Hash(candidate), _hash);

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static string FingerprintOf(string token) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("admin-cookie\n" + token)));

    private static (string Token, bool Created) ReadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            // Written whole to a private temp file and moved into place without overwriting: a crash
            // leaves no half-written token, and of two processes starting at once the first one wins.
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using (var writer = new StreamWriter(temp, Encoding.ASCII, create)) writer.Write(token);
                File.Move(temp, path, overwrite: false);
                return (token, true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
            finally
            {
                File.Delete(temp);
            }
        }
        var stored = File.ReadAllText(path).Trim();
        if (stored.Length < AdminOptions.MinimumTokenLength)
        {
            throw new InvalidDataException($"The operator token file {path} holds no valid token; delete it to have a new one generated.");
        }
        return (stored, false);
    }
}

/// <summary>Prints where the operator token is (and the token itself on the start that created it) once the host starts.</summary>
internal sealed partial class AdminTokenNotice(AdminToken token, ILogger<AdminTokenNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (token.Announcement is { } text) Console.Out.WriteLine(text);
        else if (!token.IsSet) LogNoToken(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin:Token is not set: every admin route refuses every request")]
    private static partial void LogNoToken(ILogger logger);
}
