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
        await app.ExpectNoSeriousAxeViolationsAsync();
    }
}
