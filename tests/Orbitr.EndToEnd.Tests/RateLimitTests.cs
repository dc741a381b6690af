using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

/// <summary>A server of its own, allowing 2 generation requests per minute, so the limit is reached quickly without
/// touching the shared server's budget.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task Past_the_rate_limit_the_panel_says_3003_and_when_to_try_again()
    {
        var server = new AppServer(new Dictionary<string, string>
        {
            ["Orbitr__Generation__RateLimitPermits"] = "2",
            ["Orbitr__Generation__MaxConcurrentJobs"] = "1",
        });
        await server.InitializeAsync();
        try
        {
            await using var app = await server.OpenAsync();
            var prompt = app.Page.Locator("#prompt");
            var generate = app.Page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true });
            foreach (var text in new[] { "soft pluck C major", "dark rumble sub" })
            {
                await prompt.FillAsync(text);
                await generate.ClickAsync();
                await Assertions.Expect(app.Page.Locator(".job", new() { HasText = text })).ToBeVisibleAsync();
            }
            await prompt.FillAsync("one too many");
            await generate.ClickAsync();
            var error = app.Page.Locator("section.generate .form-error[data-code='3003']");
            await Assertions.Expect(error).ToBeVisibleAsync();
            await Assertions.Expect(error).ToContainTextAsync("You can try again in");
            var text3 = await error.InnerTextAsync();
            var seconds = int.Parse(System.Text.RegularExpressions.Regex.Match(text3, @"try again in (\d+) s").Groups[1].Value);
            Assert.InRange(seconds, 1, 60);
            await Assertions.Expect(app.Page.Locator(".job", new() { HasText = "one too many" })).ToHaveCountAsync(0);

            // Both accepted jobs finish (the synth is fast); finished jobs can be removed from the list.
            await Assertions.Expect(app.Page.Locator(".job[data-status='succeeded']")).ToHaveCountAsync(2);
            await app.Page.GetByRole(AriaRole.Button, new() { Name = "Remove dark rumble sub from the queue list", Exact = true }).ClickAsync();
            await Assertions.Expect(app.Page.Locator(".job")).ToHaveCountAsync(1);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
