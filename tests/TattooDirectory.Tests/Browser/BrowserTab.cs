using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace TattooDirectory.Tests.Browser;

/// <summary>
/// One browser context and its page. Every request the page makes passes a guard that lets
/// loopback through and aborts (and records) anything else, so a test proves the page works
/// offline and never leaks a visitor to a third party. Console and page errors are kept for
/// failure messages.
/// </summary>
public sealed class BrowserTab : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _leftLoopback;
    private readonly ConcurrentQueue<string> _errors = new();

    private BrowserTab(IBrowserContext context, ConcurrentQueue<string> leftLoopback, IPage page)
    {
        _context = context;
        _leftLoopback = leftLoopback;
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") _errors.Enqueue($"console: {message.Text}"); };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>Console and script errors seen so far, for failure messages.</summary>
    public string Errors => _errors.IsEmpty ? "no console errors" : string.Join(Environment.NewLine, _errors);

    public static async Task<BrowserTab> OpenAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        var leftLoopback = new ConcurrentQueue<string>();
        // Routed before the page exists, so not even its first request escapes the guard.
        await context.RouteAsync("**/*", route => GuardAsync(route, leftLoopback));
        return new BrowserTab(context, leftLoopback, await context.NewPageAsync());
    }

    /// <summary>Runs a Playwright expectation and, when it fails, adds the page's console errors to the message.</summary>
    public async Task ExpectAsync(Func<Task> expectation, string what)
    {
        try
        {
            await expectation();
        }
        catch (PlaywrightException e)
        {
            Assert.Fail($"{what}: {e.Message}{Environment.NewLine}{Errors}");
        }
    }

    /// <summary>Navigates and checks the status, so no test silently inspects an error page.</summary>
    public async Task GotoAsync(string path, int expectedStatus = 200)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is not null, $"GET {path} gave no response.");
        Assert.True(response.Status == expectedStatus, $"GET {path} answered {response.Status}, expected {expectedStatus}.");
    }

    /// <summary>Waits until the page's scripts have finished loading what they load (map library, modules).</summary>
    public Task SettleAsync() => Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

    public void AssertStayedOnLoopback() =>
        Assert.True(_leftLoopback.IsEmpty, $"The page tried to reach beyond 127.0.0.1 (aborted): {string.Join(", ", _leftLoopback.Distinct())}");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private static async Task GuardAsync(IRoute route, ConcurrentQueue<string> leftLoopback)
    {
        var url = route.Request.Url;
        if (IsLocal(url))
        {
            await route.ContinueAsync();
            return;
        }
        leftLoopback.Enqueue(url);
        await route.AbortAsync("blockedbyclient");
    }

    private static bool IsLocal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme is "data" or "blob") return true;
        // An IP literal only: a name such as localhost would need a resolver we do not control.
        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && uri.IsLoopback;
    }
}
