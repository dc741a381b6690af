using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Issue 23: each ring and the master have a level meter (AnalyserNodes, drawn in the playhead's animation
/// loop on canvases, no component re-rendering) and the rings' glow follows the master level.</summary>
[Collection(AppCollection.Name)]
public sealed class MeterTests(AppServer server)
{
    // Lit pixels of a meter's canvas (its bar is drawn from the bottom up to the level).
    private const string Lit = """
        (key) => {
          const c = document.querySelector(`canvas.meter[data-meter="${key}"]`);
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        }
        """;

    [Fact]
    public async Task While_playing_the_meters_of_sounding_rings_and_the_master_light_silent_rings_stay_dark_and_stop_clears_them()
    {
        await using var app = await server.OpenAsync();
        // The starter groove: the kick ring (1) plays four on the floor; ring 3 (closed hat) has no step on.
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.WaitForFunctionAsync($"() => ({Lit})('0') > 0 && ({Lit})('master') > 0", null, new() { Timeout = 10_000 });
        await app.Page.WaitForFunctionAsync("() => Number(document.querySelector('.dial .glow').style.opacity) > 0", null, new() { Timeout = 10_000 });
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0, await app.Page.EvaluateAsync<int>(Lit, "2"));
            await app.Page.WaitForTimeoutAsync(100); // kept fixed: samples across a bar of playing
        }
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await app.Page.WaitForFunctionAsync($"() => ({Lit})('0') === 0 && ({Lit})('master') === 0", null, new() { Timeout = 5_000 });
        Assert.Equal("0", await app.Page.EvaluateAsync<string>("() => document.querySelector('.dial .glow').style.opacity"));
        Assert.Empty(app.ConsoleErrors);
    }
}
