using TattooDirectory.Core.Storage;

namespace TattooDirectory.Tests.Contracts;

/// <summary>Small builders shared by the table and change stream contracts.</summary>
internal static class ContractItems
{
    public static Item NewItem(string pk, string sk, string data = "{}") => new() { Pk = pk, Sk = sk, Data = data };

    public static TableWrite.Put PutOf(string pk, string sk, string data = "{}") => new(NewItem(pk, sk, data));

    /// <summary>
    /// Awaits something that should happen promptly, bounded by a generous real-time limit that
    /// only ever ends a broken test (it is not a timing assertion).
    /// </summary>
    public static Task Promptly(this Task task) => task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
}
