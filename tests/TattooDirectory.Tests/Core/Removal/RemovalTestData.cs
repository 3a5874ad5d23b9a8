using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

internal static class RemovalTestData
{
    public static IdentityHasher Hasher { get; } = new([.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))]);

    /// <summary>Puts every identity of the artist on the denylist, as a purge's first step does.</summary>
    public static Task DenyAsync(this LocalBackendRig rig, Artist artist) =>
        rig.Table.TransactWriteAsync([.. rig.Denylist.Hasher.All(artist).Select(h => Denylist.Entry(h, "rem-test", rig.Time.GetUtcNow()))], TestContext.Current.CancellationToken);

    /// <summary>Every item of the store whose keys or data mention the text (a trace of an identity).</summary>
    public static async Task<List<Item>> TracesAsync(ITable table, string text)
    {
        var found = new List<Item>();
        await foreach (var item in table.ScanAsync("", TestContext.Current.CancellationToken))
        {
            if (item.Pk.Contains(text, StringComparison.OrdinalIgnoreCase) || item.Sk.Contains(text, StringComparison.OrdinalIgnoreCase)
                || item.Data.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(item);
            }
        }
        return found;
    }
}
