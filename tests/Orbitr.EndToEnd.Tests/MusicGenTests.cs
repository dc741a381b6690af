using Microsoft.Playwright;
using Orbitr.Tests.Shared;

namespace Orbitr.EndToEnd.Tests;

/// <summary>A server of its own with the tiny stand-in MusicGen export configured: the generation panel offers the
/// engines, a MusicGen job runs through the real ONNX pipeline in the server process, and the library says which
/// engine made each sound.</summary>
public class MusicGenTests
{
    [Fact]
    public async Task The_panel_offers_the_engines_and_the_library_shows_which_one_made_each_sound()
    {
        var server = new AppServer(new Dictionary<string, string> { ["Orbitr__MusicGen__ModelPath"] = TinyMusicGen.Folder() });
        await server.InitializeAsync();
        try
        {
            await using var app = await server.OpenAsync();
            var engine = app.Page.Locator("section.generate #engine");
            await Assertions.Expect(engine).ToBeVisibleAsync();
            await Assertions.Expect(engine.Locator("option").First).ToHaveTextAsync("Auto (MusicGen)");
            await Assertions.Expect(engine.Locator("option")).ToHaveTextAsync(["Auto (MusicGen)", "Synth", "MusicGen"]);

            var generate = app.Page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true });
            foreach (var (choice, prompt) in new[] { ("musicgen", $"jazz piano chord {Guid.NewGuid():N}"[..24]), ("synth", $"808 kick {Guid.NewGuid():N}"[..16]) })
            {
                await engine.SelectOptionAsync(choice);
                await app.Page.Locator("#prompt").FillAsync(prompt);
                await app.Page.GetByLabel("Duration (s)").FillAsync("2");
                await generate.ClickAsync();
                var job = app.Page.Locator(".job", new() { HasText = prompt });
                await Assertions.Expect(job).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
                await Assertions.Expect(job.Locator(".engine-tag")).ToHaveAttributeAsync("data-engine", choice);
                var item = app.Page.Locator("li.sample.generated", new() { HasText = prompt });
                await Assertions.Expect(item.Locator(".engine-tag")).ToHaveTextAsync(choice == "musicgen" ? "MusicGen" : "Synth");
                // The name keeps its room beside the tag and the buttons (it was cut to its first letter).
                Assert.True(await item.Locator(".sample-name").EvaluateAsync<double>("e => e.getBoundingClientRect().width") >= 100);
            }
            await app.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "orbitr-musicgen.png"), FullPage = true });
            Assert.Empty(app.ConsoleErrors);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
