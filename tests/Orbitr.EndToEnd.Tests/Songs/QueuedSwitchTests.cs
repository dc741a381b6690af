using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests.Songs;

/// <summary>Issue 25's pattern chaining, in the browser: a pattern chosen while playing is queued (its button says so)
/// and starts exactly where the current cycle ends, at its own tempo, on the live AudioContext's clock.</summary>
[Collection(AppCollection.Name)]
public sealed class QueuedSwitchTests(AppServer server)
{
    [Fact]
    public async Task A_pattern_chosen_while_playing_starts_exactly_at_the_end_of_the_cycle()
    {
        await using var app = await server.OpenAsync();
        await OfflineTests.WaitForOfflineCopyAsync(app);
        var first = PatternFactory.Create(4, seed: 1, name: "Queue first") with { Bpm = 120 };
        for (var s = 0; s < 16; s++) first = PatternEditor.SetStepActive(first, 0, s, true);
        var second = PatternFactory.Create(4, seed: 2, name: "Queue second") with { Bpm = 90 };
        foreach (var s in new[] { 0, 4, 8, 12 }) second = PatternEditor.SetStepActive(second, 1, s, true);
        await app.ImportByDropAsync("second.json", PatternJson.Write(second));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Queue second");
        await app.ImportByDropAsync("first.json", PatternJson.Write(first));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Queue first");

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        const string sinceFirst = "s => { const v = (globalThis.__orbitrScheduled ?? []).filter(x => x.track >= 0 && !x.cancelled); " +
                                  "const c = globalThis.__orbitrContexts?.at(-1); return v.length > 0 && c && c.currentTime - Math.min(...v.map(x => x.time)) > s; }";
        await app.Page.WaitForFunctionAsync(sinceFirst, 0.3, new() { Timeout = 30_000, PollingInterval = 50 });

        var list = await app.PatternListAsync();
        var button = list.Locator("button.open", new() { HasText = "Queue second" });
        await button.ClickAsync();
        await Assertions.Expect(button).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("queued"));
        await Assertions.Expect(list.Locator(".queued-tag")).ToHaveTextAsync("Next");
        Assert.Equal("Queue first", await app.Page.GetByLabel("Pattern name").InputValueAsync()); // still the first until its cycle ends
        // Then the second opens by itself, when it starts.
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Queue second", new() { Timeout = 10_000 });
        await Assertions.Expect(list.Locator(".queued-tag")).ToHaveCountAsync(0);
        await app.Page.WaitForFunctionAsync(sinceFirst, first.CycleSeconds + 2 * second.CycleSeconds + 0.3, new() { Timeout = 30_000, PollingInterval = 50 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();

        var voices = (await Voice.ReadAsync(app.Page)).Where(v => !v.Cancelled && v.Track >= 0).ToList();
        var origin = voices.Where(v => v.Track == 0).Min(v => v.Time);
        var firstOfSecond = voices.Where(v => v.Track == 1).Min(v => v.Time);
        // The second's first note is on a cycle boundary of the first, sample-exactly (times are the scheduler's).
        var cycles = (firstOfSecond - origin) / first.CycleSeconds;
        Assert.Equal(Math.Round(cycles), cycles, 9);
        Assert.True(cycles >= 1, $"the second started after {cycles} cycles");
        var boundary = firstOfSecond;
        // Every cycle of the first before it is whole (16 notes), none after it.
        var firstNotes = voices.Where(v => v.Track == 0).Select(v => v.Time).Order().ToList();
        Assert.Equal((int)Math.Round(cycles) * 16, firstNotes.Count);
        Assert.All(firstNotes, t => Assert.True(t < boundary - 1e-9));
        for (var i = 0; i < firstNotes.Count; i++) Assert.Equal(origin + i * first.StepSeconds, firstNotes[i], 9);
        // The second at its own tempo from there: every fourth sixteenth at 90 BPM.
        var secondNotes = voices.Where(v => v.Track == 1).Select(v => v.Time).Order().ToList();
        Assert.True(secondNotes.Count >= 8, $"{secondNotes.Count} notes of the second");
        for (var i = 0; i < secondNotes.Count; i++) Assert.Equal(boundary + i * 4 * second.StepSeconds, secondNotes[i], 9);
        Assert.Empty(app.ConsoleErrors);
    }
}
