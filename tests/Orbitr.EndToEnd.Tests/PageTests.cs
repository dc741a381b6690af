using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

[Collection(AppCollection.Name)]
public sealed class PageTests(AppServer server)
{
    [Fact]
    public async Task Page_loads_with_named_step_buttons_and_no_console_errors()
    {
        await using var app = await server.OpenAsync();
        Assert.Equal(6 * 16, await app.Page.Locator("[role=button][aria-label^='Track ']").CountAsync());
        Assert.Equal("true", await app.Step(1, 1).GetAttributeAsync("aria-pressed"));  // the starter groove's kick
        Assert.Equal("false", await app.Step(1, 2).GetAttributeAsync("aria-pressed"));
        await app.Page.ScreenshotAsync(new() { Path = Path.Combine(server.RepoRoot, "TestResults", "app.png") });
        Assert.Empty(app.ConsoleErrors);
    }
}
