using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Issue 22: a reload never shows another pattern before the saved one (the rings stay loading, with nothing
/// to click, until it is read), so a click made as soon as the steps appear lands on the saved pattern.</summary>
[Collection(AppCollection.Name)]
public sealed class FirstLoadTests(AppServer server)
{
    [Fact]
    public async Task On_reload_the_first_steps_shown_are_the_saved_patterns_and_an_early_click_edits_it()
    {
        await using var app = await server.OpenAsync();
        // Five rings of 12 steps with the first step of each on: unlike any starter pattern.
        var p = PatternFactory.Create(5, seed: 9, name: "Saved five");
        for (var t = 0; t < 5; t++) p = PatternEditor.SetStepActive(PatternEditor.SetTrackLength(p, t, 12), t, 0, true);
        await app.ImportByDropAsync("five.json", PatternJson.Write(p));
        await app.ExpectStepCountAsync(60);
        await app.WaitForSavedAsync(s => s.Name == "Saved five");

        // From the very start of the next load, on every frame: what a user could see and click.
        await app.Context.AddInitScriptAsync("""
            (() => {
              const seen = globalThis.__seen = [];
              const look = () => {
                const stage = document.querySelector('main.stage');
                if (stage) {
                  const loading = stage.classList.contains('loading');
                  const steps = [...document.querySelectorAll('[data-step]')];
                  const visible = steps.filter(s => getComputedStyle(s).visibility === 'visible');
                  seen.push({ loading, inert: stage.inert === true, steps: steps.length, visible: visible.length,
                    on: visible.filter(s => s.getAttribute('aria-pressed') === 'true').length });
                }
                if (!document.querySelector('.app.ready')) requestAnimationFrame(look);
              };
              requestAnimationFrame(look);
            })();
            """);
        await app.Page.ReloadAsync();
        // As soon as the step can take a click (visible, not inert): Playwright waits for exactly that.
        await app.Step(2, 4).ClickAsync();
        await app.WaitReadyAsync();
        await app.ExpectStepAsync(2, 4, true);
        var saved = await app.WaitForSavedAsync(s => s.Tracks[1].Steps[3].Active);
        Assert.Equal("Saved five", saved.Name);
        Assert.Equal(5, saved.Tracks.Count);
        Assert.All(saved.Tracks, t => Assert.True(t.Steps[0].Active));

        var seen = await app.Page.EvaluateAsync<Seen[]>("() => globalThis.__seen");
        var shown = seen.Where(s => s.Visible > 0).ToList();
        Assert.NotEmpty(shown);
        // Every frame that showed steps showed the saved pattern's, and nothing was clickable while loading.
        Assert.All(shown, s => Assert.Equal(60, s.Visible));
        Assert.All(seen.Where(s => s.Loading), s => Assert.True(s.Inert && s.Visible == 0, $"loading frame: {s}"));
        Assert.Empty(app.ConsoleErrors);
    }

    public sealed class Seen
    {
        public bool Loading { get; set; }
        public bool Inert { get; set; }
        public int Steps { get; set; }
        public int Visible { get; set; }
        public int On { get; set; }

        public override string ToString() => $"loading {Loading}, inert {Inert}, {Steps} steps ({Visible} visible, {On} on)";
    }
}
