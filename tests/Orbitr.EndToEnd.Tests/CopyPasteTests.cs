using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Tests.Waiting;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Issue 26: Ctrl+C in one tab and Ctrl+V in another paste steps (every field) through the system
/// clipboard; the ring keys (Alt+N, M, S) act on the ring they select.</summary>
[Collection(AppCollection.Name)]
public sealed class CopyPasteTests(AppServer server)
{
    [Fact]
    public async Task Steps_copied_in_one_tab_paste_into_another_with_their_fields()
    {
        await using var app = await server.OpenAsync();
        await app.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var p = PatternFactory.Create(6, seed: 4, name: "Copy source");
        p = PatternEditor.UpdateStep(p, 1, 3, s => s with { Velocity = 41, Probability = 0.5, Timing = 9 });
        p = PatternEditor.UpdateStep(p, 1, 4, s => s with { Active = true, Velocity = 88, Ratchet = 3 });
        await app.ImportByDropAsync("copy.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Copy source");
        await app.Step(2, 4).ClickAsync();                                              // on, selected
        await app.Step(2, 5).ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] }); // added to the selection
        await app.ExpectStepAsync(2, 4, true);
        var fifth = await app.Step(2, 5).GetAttributeAsync("aria-pressed") == "true";
        await app.Page.Keyboard.PressAsync("Control+c");
        await Eventually.ValueAsync(() => app.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"),
            text => text.Contains("orbitr.steps", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the system clipboard to hold the steps", TimeSpan.FromMilliseconds(50));

        // Another tab: a new pattern, the focus on ring 5's step 11.
        var other = new AppPage(app.Context, await app.Context.NewPageAsync());
        await other.GotoAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Patterns", Exact = true }).ClickAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        await other.ExpectStepAsync(1, 1, false);
        await other.Step(5, 11).ClickAsync();
        await other.ExpectStepAsync(5, 11, true);
        await other.Page.Keyboard.PressAsync("Escape");
        await other.Step(5, 11).FocusAsync();
        await other.Page.Keyboard.PressAsync("Control+v");
        await other.ExpectStepAsync(5, 11, true);
        await other.ExpectStepAsync(5, 12, fifth);
        var saved = await other.WaitForSavedAsync(x => x.Tracks[4].Steps[10].Velocity == 41);
        Assert.Equal(p.Tracks[1].Steps[3] with { Active = true }, saved.Tracks[4].Steps[10]);
        Assert.Equal(88, saved.Tracks[4].Steps[11].Velocity);
        Assert.Equal(3, saved.Tracks[4].Steps[11].Ratchet);
        await other.Page.Keyboard.PressAsync("Control+z");
        await other.ExpectStepAsync(5, 12, false);

        // Ring keys: Alt+3 selects ring 3, M mutes it, S solos it.
        await other.Page.Keyboard.PressAsync("Alt+3");
        await other.Page.Keyboard.PressAsync("m");
        await other.WaitForSavedAsync(x => x.Tracks[2].Mute);
        await other.Page.Keyboard.PressAsync("s");
        await other.WaitForSavedAsync(x => x.Tracks[2].Solo && x.Tracks[2].Mute);
        Assert.Empty(app.ConsoleErrors);
        Assert.Empty(other.ConsoleErrors);
    }

    [Fact]
    public async Task Holding_a_bracket_bends_the_tempo_by_4_percent_and_letting_go_restores_it()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 8, name: "Nudge") with { Bpm = 120, Swing = 0 };
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        await app.ImportByDropAsync("nudge.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Nudge");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        const string playedFor = "s => { const v = (globalThis.__orbitrScheduled ?? []).filter(x => x.track >= 0 && !x.cancelled); " +
                                 "const c = globalThis.__orbitrContexts?.at(-1); return v.length > 0 && c && c.currentTime - Math.min(...v.map(x => x.time)) > s; }";
        await app.Page.WaitForFunctionAsync(playedFor, 1.0, new() { Timeout = 30_000, PollingInterval = 50 });
        await app.Page.Keyboard.DownAsync("]");
        await app.Page.WaitForFunctionAsync(playedFor, 3.0, new() { Timeout = 30_000, PollingInterval = 50 });
        await app.Page.Keyboard.UpAsync("]");
        await app.Page.WaitForFunctionAsync(playedFor, 5.0, new() { Timeout = 30_000, PollingInterval = 50 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();

        var times = (await Voice.ReadAsync(app.Page)).Where(v => !v.Cancelled && v.Track == 0).Select(v => v.Time).Order().ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        var step = p.StepSeconds;
        // Every gap is a step at 120 BPM or at 124.8 BPM (or one of each side's part at the bend): some of both.
        var nudged = gaps.Count(g => Math.Abs(g - step / 1.04) < 1e-6);
        var plain = gaps.Count(g => Math.Abs(g - step) < 1e-6);
        Assert.True(nudged >= 10, $"{nudged} steps at the nudged tempo");
        Assert.True(plain >= 10, $"{plain} steps at the pattern's tempo");
        Assert.True(gaps.Count - nudged - plain <= 2, $"{gaps.Count - nudged - plain} gaps neither (at most the two bends)");
        Assert.True(gaps.TakeLast(4).All(g => Math.Abs(g - step) < 1e-6), "after letting go the tempo is the pattern's again");
        await Assertions.Expect(app.Page.GetByLabel("BPM")).ToHaveValueAsync("120"); // the pattern is not edited
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task A_ring_and_a_pattern_copied_in_one_tab_paste_into_another_and_other_text_is_refused_visibly()
    {
        await using var app = await server.OpenAsync();
        await app.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var p = PatternFactory.Create(5, seed: 9, name: "Ring source");
        p = PatternEditor.SetTrackLength(p, 1, 12);
        for (var s = 0; s < 12; s += 3) p = PatternEditor.UpdateStep(p, 1, s, x => x with { Active = true, Velocity = 50 + s, Pitch = 2 });
        await app.ImportByDropAsync("ring.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Ring source");
        await app.Page.Keyboard.PressAsync("Alt+2");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Copy ring", Exact = true }).ClickAsync();
        await Eventually.ValueAsync(() => app.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"),
            text => text.Contains("orbitr.ring", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the clipboard to hold the ring", TimeSpan.FromMilliseconds(50));

        var other = new AppPage(app.Context, await app.Context.NewPageAsync());
        await other.GotoAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Patterns", Exact = true }).ClickAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        await other.Page.Keyboard.PressAsync("Escape");
        await other.Page.Keyboard.PressAsync("Alt+4");
        await other.Page.GetByLabel("Paste takes the copied length").CheckAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Paste ring", Exact = true }).ClickAsync();
        var saved = await other.WaitForSavedAsync(x => x.Tracks[3].Steps.Count == 12);
        Assert.Equal(p.Tracks[1].Steps, saved.Tracks[3].Steps);
        Assert.Equal(p.Tracks[1].Sample is { } key ? p.FindSample(key)!.Source : null, saved.Tracks[3].Sample is { } k2 ? saved.FindSample(k2)!.Source : null);

        // The whole pattern: Copy in the first tab's Patterns panel, Paste pattern in the other's.
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Patterns", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Copy Ring source", Exact = true }).ClickAsync();
        await Eventually.ValueAsync(() => app.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"),
            text => text.Contains("\"Ring source\"", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the clipboard to hold the pattern", TimeSpan.FromMilliseconds(50));
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Patterns", Exact = true }).ClickAsync();
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Paste pattern", Exact = true }).ClickAsync();
        await Assertions.Expect(other.Page.GetByRole(AriaRole.Button, new() { Name = "Copy Ring source", Exact = true })).ToBeVisibleAsync();

        // Text that is not a pattern: a visible error, the library as it was.
        var before = (await other.PatternNamesAsync()).Count;
        await other.Page.EvaluateAsync("() => navigator.clipboard.writeText('just some words')");
        await other.Page.GetByRole(AriaRole.Button, new() { Name = "Paste pattern", Exact = true }).ClickAsync();
        await Assertions.Expect(other.Page.GetByText("The clipboard does not hold an Orbitr pattern", new() { Exact = false })).ToBeVisibleAsync();
        Assert.Equal(before, (await other.PatternNamesAsync()).Count);
        Assert.Empty(app.ConsoleErrors);
        Assert.Empty(other.ConsoleErrors);
    }

    [Fact]
    public async Task Alt_click_auditions_Shift_C_clears_with_undo_and_a_ring_randomizes_and_humanizes_from_its_panel()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 12, name: "By hand");
        p = PatternEditor.ClearPattern(p);
        for (var s = 0; s < 16; s += 4) p = PatternEditor.SetStepActive(p, 0, s, true);
        await app.ImportByDropAsync("hand.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("By hand");

        // Alt+click plays the step once (a voice on its ring) and edits nothing.
        await app.Step(1, 5).ClickAsync(new() { Modifiers = [KeyboardModifier.Alt] });
        await app.Page.WaitForFunctionAsync("() => (globalThis.__orbitrScheduled ?? []).some(v => v.track === 0)");
        await app.ExpectStepAsync(1, 5, true);
        Assert.False(await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).IsVisibleAsync());

        // Shift+C clears the whole pattern; one undo brings it back.
        await app.Page.Keyboard.PressAsync("Shift+C");
        await app.WaitForSavedAsync(x => x.Tracks.All(t => t.ActiveSteps == 0));
        await app.Page.Keyboard.PressAsync("Control+z");
        await app.WaitForSavedAsync(x => x.Tracks[0].ActiveSteps == 4);

        // Ring 3: density 100 % turns every step on, 0 % every step off.
        await app.Page.Keyboard.PressAsync("Alt+3");
        await app.Page.GetByLabel("Randomize density (%)").FillAsync("100");
        await app.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Randomize ") }).ClickAsync();
        await app.WaitForSavedAsync(x => x.Tracks[2].ActiveSteps == 16);
        await app.Page.GetByLabel("Randomize density (%)").FillAsync("0");
        await app.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Randomize ") }).ClickAsync();
        await app.WaitForSavedAsync(x => x.Tracks[2].ActiveSteps == 0);

        // Ring 1 humanized by ± 8 ms and ± 12 velocity: its steps move, within those ranges.
        await app.Page.Keyboard.PressAsync("Alt+1");
        await app.Page.GetByLabel("Humanize ± ms").FillAsync("8");
        await app.Page.GetByLabel("Humanize ± vel").FillAsync("12");
        await app.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Humanize ") }).ClickAsync();
        var saved = await app.WaitForSavedAsync(x => x.Tracks[0].Steps.Any(s => s.Timing != 0));
        var on = saved.Tracks[0].Steps.Where(s => s.Active).ToList();
        Assert.Equal(4, on.Count);
        Assert.All(on, s => Assert.InRange(s.Timing, -8, 8));
        Assert.All(on, s => Assert.InRange(s.Velocity, Step.DefaultVelocity - 12, Step.DefaultVelocity + 12));
        Assert.Empty(app.ConsoleErrors);
    }
}
