using Microsoft.Playwright;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Browser;

/// <summary>Every browser test shares one app and one Chromium, and they run one after another (the machine has two cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// The real app on real Kestrel (loopback, seeded temp data, no map tiles) and one headless
/// Debian Chromium driven by Playwright. Playwright never downloads a browser here: it launches
/// /usr/bin/chromium, which <c>.ci/run</c> installs. Without it every browser test is skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromiumMissing = "Chromium is not installed (apt-get install chromium)";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private DirectoryHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private PublicPages? _pages;

    public DirectoryHost Host => _host ?? throw new InvalidOperationException(ChromiumMissing);

    public PublicPages Pages => _pages ?? throw new InvalidOperationException(ChromiumMissing);

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return;
        // An empty tile URL is what makes the map draw on a blank background with no network.
        _host = await DirectoryHost.StartAsync(settings: new Dictionary<string, string> { ["Map:TileUrl"] = "" });
        _pages = await PublicPages.DiscoverAsync(_host);
        // The suite shares two cores with other test classes: give expectations room beyond the 5 s default.
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>A fresh browser context (own cookies, own settings) with the loopback guard on; skips the test without Chromium.</summary>
    public async Task<BrowserTab> OpenTabAsync(BrowserNewContextOptions? options = null)
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), ChromiumMissing);
        var browser = _browser ?? throw new InvalidOperationException("Chromium is installed but the browser did not start.");
        options ??= new BrowserNewContextOptions();
        options.BaseURL = Host.Client.BaseAddress!.ToString();
        return await BrowserTab.OpenAsync(browser, options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }
}
