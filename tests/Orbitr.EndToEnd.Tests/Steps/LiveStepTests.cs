using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests.Steps;

/// <summary>Live playback of the v2 step fields: every ratchet hit, conditions by cycle and a ring's own swing are
/// voices at exactly the scheduler's times, and a gated voice stops where its gate has closed.</summary>
[Collection(AppCollection.Name)]
public sealed class LiveStepTests(AppServer server)
{
    [Fact]
    public async Task Ratchets_conditions_ring_swing_and_gates_play_live_as_the_scheduler_says()
    {
        await using var app = await server.OpenAsync();
        await OfflineTests.WaitForOfflineCopyAsync(app);
        var p = PatternFactory.Create(4, seed: 3, name: "Live v2") with { Bpm = 150, Swing = 50 };
        p = PatternEditor.UpdateStep(p, 0, 0, s => s with { Active = true, Ratchet = 4 });
        p = PatternEditor.UpdateStep(p, 0, 9, s => s with { Active = true, Ratchet = 3, Timing = 10 });
        p = PatternEditor.UpdateStep(p, 1, 4, s => s with { Active = true, Condition = TrigCondition.Ratio(2, 2) });
        p = PatternEditor.UpdateStep(p, 1, 12, s => s with { Active = true, Condition = TrigCondition.First });
        p = PatternEditor.UpdateTrack(p, 2, t => t with { Swing = 0 });
        foreach (var s in new[] { 1, 3, 5, 7 }) p = PatternEditor.SetStepActive(p, 2, s, true);
        foreach (var s in new[] { 2, 6, 10, 14 }) p = PatternEditor.UpdateStep(p, 3, s, st => st with { Active = true, Gate = 0.02, Pitch = 5 });
        await app.ImportByDropAsync("live-v2.json", PatternJson.Write(p));
        await app.ExpectStepAsync(1, 10, true);

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        // Two cycles (1.6 s each) and a bit, so the conditions' second cycle is heard.
        await app.Page.WaitForFunctionAsync(
            "() => { const v = (globalThis.__orbitrScheduled ?? []).filter(x => x.track >= 0 && !x.cancelled); const c = globalThis.__orbitrContexts?.at(-1); " +
            "return v.length > 0 && c && c.currentTime - Math.min(...v.map(x => x.time)) > 3.4; }",
            null, new() { Timeout = 30_000, PollingInterval = 100 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).WaitForAsync();

        var stoppedAt = await Voice.LastStopAsync(app.Page);
        var voices = await Voice.ReadAsync(app.Page);
        var (origin, matched, missing, extra) = Voice.Match(p, voices, stoppedAt);
        Assert.Empty(missing);
        Assert.Empty(extra);
        Assert.True(stoppedAt - origin > 3.2, $"played {stoppedAt - origin} s");
        // Ring 0: 4 + 3 hits a cycle; ring 1: step 4 only in cycle 1, step 12 only in cycle 0; ring 2 unswung.
        Assert.Equal(7, matched.Count(m => m.Note.TrackIndex == 0 && m.Note.Cycle == 0));
        Assert.Contains(matched, m => m.Note.TrackIndex == 1 && m.Note.StepIndex == 4 && m.Note.Cycle == 1);
        Assert.DoesNotContain(matched, m => m.Note.TrackIndex == 1 && m.Note.StepIndex == 4 && m.Note.Cycle == 0);
        Assert.DoesNotContain(matched, m => m.Note.TrackIndex == 1 && m.Note.StepIndex == 12 && m.Note.Cycle == 1);
        foreach (var (v, e) in matched.Where(m => m.Note.TrackIndex == 2))
            Assert.Equal(origin + (e.Cycle * 16 + e.StepIndex) * p.StepSeconds, v.Time, 9);
        // Gated voices stop when the gate has closed (its 5 ms fall included).
        var gated = matched.Where(m => m.Note.TrackIndex == 3).ToList();
        Assert.NotEmpty(gated);
        foreach (var (v, _) in gated)
            Assert.True(v.StopAt is { } stop && Math.Abs(stop - (v.Time + 0.025)) < 1e-9 || v.StopAt >= stoppedAt - 0.3,
                $"a gated voice at {v.Time} stopped at {v.StopAt}");
        Assert.Empty(app.ConsoleErrors);
    }
    [Fact]
    public async Task Holding_F_while_playing_plays_the_fill_steps_and_rests_the_not_fill_ones_until_it_is_let_go()
    {
        await using var app = await server.OpenAsync();
        await OfflineTests.WaitForOfflineCopyAsync(app);
        var p = PatternFactory.Create(4, seed: 3, name: "Fill") with { Bpm = 150, Swing = 0 };
        p = PatternEditor.SetStepActive(p, 1, 0, true); // every cycle: the clock's anchor
        p = PatternEditor.UpdateStep(p, 0, 0, s => s with { Active = true, Condition = TrigCondition.Fill });
        p = PatternEditor.UpdateStep(p, 0, 8, s => s with { Active = true, Condition = TrigCondition.NotFill });
        await app.ImportByDropAsync("fill.json", PatternJson.Write(p));
        await app.ExpectStepAsync(1, 9, true);
        var fill = app.Page.Locator("button.fill");
        Assert.True(await fill.IsDisabledAsync()); // nothing to fill while stopped

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        const string clock = "() => globalThis.__orbitrContexts.at(-1).currentTime";
        const string sinceFirst = "s => { const v = (globalThis.__orbitrScheduled ?? []).filter(x => x.track >= 0 && !x.cancelled); " +
                                  "const c = globalThis.__orbitrContexts?.at(-1); return v.length > 0 && c && c.currentTime - Math.min(...v.map(x => x.time)) > s; }";
        await app.Page.WaitForFunctionAsync(sinceFirst, 2.0, new() { Timeout = 30_000, PollingInterval = 50 });
        // The clock is read before and after each key: under load a key (or the read) can lag by a few hundred ms,
        // so "held" is only what lies between the inner readings and "may be filled" what lies between the outer ones.
        var beforeDown = await app.Page.EvaluateAsync<double>(clock);
        await app.Page.Keyboard.DownAsync("f");
        var afterDown = await app.Page.EvaluateAsync<double>(clock);
        await Assertions.Expect(fill).ToHaveAttributeAsync("aria-pressed", "true");
        await app.Page.WaitForFunctionAsync(sinceFirst, 5.4, new() { Timeout = 30_000, PollingInterval = 50 });
        var beforeUp = await app.Page.EvaluateAsync<double>(clock);
        await app.Page.Keyboard.UpAsync("f");
        var afterUp = await app.Page.EvaluateAsync<double>(clock);
        await Assertions.Expect(fill).ToHaveAttributeAsync("aria-pressed", "false");
        await app.Page.WaitForFunctionAsync($"() => globalThis.__orbitrContexts.at(-1).currentTime > {(afterUp + p.CycleSeconds + 0.4).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            null, new() { Timeout = 30_000, PollingInterval = 50 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();

        var voices = (await Voice.ReadAsync(app.Page)).Where(v => !v.Cancelled && v.Track >= 0).ToList();
        var origin = voices.Where(v => v.Track == 1).Min(v => v.Time);
        var cycle = p.CycleSeconds;
        double Phase(Voice v) => ((v.Time - origin) % cycle + cycle) % cycle;
        var fills = voices.Where(v => v.Track == 0 && Math.Abs(Phase(v)) < 1e-6).Select(v => v.Time).ToList();
        var notFills = voices.Where(v => v.Track == 0 && Math.Abs(Phase(v) - 8 * p.StepSeconds) < 1e-6).Select(v => v.Time).ToList();
        Assert.Equal(voices.Count(v => v.Track == 0), fills.Count + notFills.Count);
        // Fill steps only while F was down (the switch reaches the scheduler within a few tens of ms), and every one
        // due in that time; "!fill" steps before and after, and none while it was held.
        const double reach = 0.15;
        Assert.All(fills, t => Assert.InRange(t, beforeDown, afterUp + reach));
        Assert.True(fills.Count >= 2, $"fills at {string.Join(", ", fills)} (held {afterDown}–{beforeUp})");
        Assert.DoesNotContain(notFills, t => t > afterDown + reach && t < beforeUp);
        Assert.Contains(notFills, t => t < beforeDown);
        Assert.Contains(notFills, t => t > afterUp + reach);
        Assert.Empty(app.ConsoleErrors);
    }
}
