using System.Text;
using System.Text.Json;

namespace TattooDirectory.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    /// <summary>axe-core from npm, copied beside the test binary by the build.</summary>
    private static readonly string AxeScript = Path.Combine(AppContext.BaseDirectory, "node_modules", "axe-core", "axe.min.js");

    private const string RunAxe = """
        async () => {
          const result = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
            resultTypes: ['violations'],
          });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => `${n.target.join(' ')}: ${n.html.slice(0, 160)}`),
          }));
        }
        """;

    public static TheoryData<string> Pages => new(PublicPages.Names);

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_accessibility_violation_on_the_page(string page)
    {
        // The injected axe script is inline, which the site's CSP rightly forbids; only this context bypasses it.
        await using var tab = await browser.OpenTabAsync(new() { BypassCSP = true });
        await tab.GotoAsync(browser.Pages.PathOf(page), PublicPages.StatusOf(page));
        await tab.SettleAsync();

        await AssertNoViolationsAsync(tab, page);
        tab.AssertStayedOnLoopback();
    }

    /// <summary>Runs axe-core on the tab's current page; the tab must have been opened with BypassCSP.</summary>
    internal static async Task AssertNoViolationsAsync(BrowserTab tab, string page)
    {
        Assert.True(File.Exists(AxeScript), $"{AxeScript} is missing: the test project's build installs it with npm ci.");
        await tab.Page.AddScriptTagAsync(new() { Path = AxeScript });
        var violations = await tab.Page.EvaluateAsync<JsonElement>(RunAxe);
        Assert.True(violations.GetArrayLength() == 0, Describe(page, violations));
    }

    private static string Describe(string page, JsonElement violations)
    {
        var text = new StringBuilder($"axe-core found {violations.GetArrayLength()} violation(s) on {page}:");
        foreach (var v in violations.EnumerateArray())
        {
            text.AppendLine().Append($"- {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()}");
            foreach (var node in v.GetProperty("nodes").EnumerateArray()) text.AppendLine().Append($"    {node.GetString()}");
        }
        return text.ToString();
    }
}
