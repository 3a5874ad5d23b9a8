using System.Text.Json;

namespace TattooDirectory.Tests.Support;

/// <summary>Waits for an asynchronous effect (the sync reaching the index) by re-checking a condition, never by sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<JsonElement> GetJsonAsync(DirectoryHost host, string url, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var last = default(JsonElement);
        while (!cts.IsCancellationRequested)
        {
            last = await host.GetJsonAsync(url);
            if (condition(last)) return last;
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
        Assert.Fail($"GET {url} never met the condition; last answer: {last}");
        return last;
    }
}
