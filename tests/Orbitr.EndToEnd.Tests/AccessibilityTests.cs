using Deque.AxeCore.Playwright;

namespace Orbitr.EndToEnd.Tests;

[Collection(AppCollection.Name)]
public sealed class AccessibilityTests(AppServer server)
{
    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violations()
    {
        await using var app = await server.OpenAsync();
        await app.Step(2, 3).ClickAsync(); // opens the step editor so it is scanned too
        await app.Page.GetByLabel("Velocity").WaitForAsync();
        var result = await app.Page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}
