using System.Text.Json;
using Microsoft.Playwright;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Runs axe-core (npm, ChatApp.Tests/node_modules) in a page and fails on any violation, of any impact.</summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(Path.GetDirectoryName(ExternalApp.ProjectDirectory())!, "ChatApp.Tests", "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException("axe-core is not installed: run 'npm ci' in ChatApp.Tests (the build does it).", path);
    });

    /// <summary>Checks the whole document as it is now; the message lists every violation with its first elements.</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string where)
    {
        // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') stays on.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const r = await axe.run(document, { resultTypes: ['violations'] });
                return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')} — ${v.nodes[0].failureSummary.replaceAll('\n', ' ')}`);
            }
            """);
        var violations = result.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on {where}:\n" + string.Join("\n", violations));
    }
}
