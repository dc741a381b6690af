using Microsoft.Playwright;
using Xunit.Abstractions;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests.Midi;

/// <summary>Issue 26, clock in through the page's test port: with Follow clock on, Start plays, the tempo follows
/// 24 ppqn at 97.3 BPM within 0.1 BPM after one bar (the voices' spacing too), Stop stops, and Continue after a
/// Song Position starts the loop at that sixteenth.</summary>
[Collection(AppCollection.Name)]
public sealed class MidiInTests(AppServer server, ITestOutputHelper output)
{
    // Sends `pulses` more clock pulses (after an optional status byte) with timestamps exactly 60 000 / (bpm × 24) ms
    // apart, each when its time comes (as a device's would arrive); a later call goes on with the same grid.
    private const string SendClock = """
        ([bpm, pulses, first]) => new Promise((resolve) => {
          const spacing = 60000 / (bpm * 24);
          const c = globalThis.__clock ??= { t0: performance.now() + 20, k: 0 };
          if (first) globalThis.__midiIn(first, c.t0 + c.k * spacing - 1);
          const end = c.k + pulses;
          const timer = setInterval(() => {
            while (c.k < end && c.t0 + c.k * spacing <= performance.now()) { globalThis.__midiIn([0xf8], c.t0 + c.k * spacing); c.k++; }
            if (c.k >= end) { clearInterval(timer); resolve(c.t0); }
          }, 4);
        })
        """;

    [Fact]
    public async Task Following_a_clock_at_97_3_BPM_takes_its_tempo_within_0_1_BPM_after_a_bar_and_its_transport()
    {
        await using var app = await server.OpenAsync(TestMidiPort.Script);
        var p = PatternFactory.Create(4, seed: 5, name: "Clock in") with { Bpm = 120, Swing = 0 };
        for (var s = 0; s < 8; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        for (var s = 8; s < 16; s++) p = PatternEditor.SetStepActive(p, 1, s, true);
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepActive(p, 2, s, true);
        await app.ImportByDropAsync("clock.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Clock in");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync(); // a gesture starts audio
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();

        await TestMidiPort.TurnOnAsync(app);
        await app.Page.GetByLabel("MIDI input").SelectOptionAsync(new SelectOptionValue { Label = TestMidiPort.InputName });
        await app.Page.GetByLabel("Follow clock").CheckAsync();
        await Assertions.Expect(app.Page.GetByLabel("Followed tempo")).ToHaveTextAsync("Waiting for a clock on the input");
        // Clock out too: what it sends when the transport continues from a Song Position.
        await app.Page.GetByLabel("MIDI output").SelectOptionAsync(new SelectOptionValue { Label = TestMidiPort.OutputName });
        await app.Page.GetByLabel("Send clock").CheckAsync();

        // Start, then one bar and a beat of pulses at 97.3 BPM.
        await app.Page.EvaluateAsync(SendClock, new object[] { 97.3, 4 * 24 + 25, new[] { 0xfa } });
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true })).ToBeVisibleAsync();
        var shown = await app.Page.GetByLabel("Followed tempo").TextContentAsync();
        output.WriteLine(shown);
        Assert.Equal("Following 97.3 BPM", shown);
        // The voices follow: ring 3's sixteenths are 60 / 97.3 / 4 s apart once the tempo was taken.
        await app.Page.EvaluateAsync(SendClock, new object[] { 97.3, 48, null! });
        var kicks = (await Voice.ReadAsync(app.Page)).Where(v => v.Track == 2 && !v.Cancelled).Select(v => v.Time).Order().ToList();
        var gaps = kicks.Zip(kicks.Skip(1), (a, b) => b - a).TakeLast(6).ToList();
        output.WriteLine(string.Join(", ", gaps.Select(g => $"{g * 1000:0.000} ms")));
        Assert.All(gaps, g => Assert.InRange(g, 60 / 97.4 / 4, 60 / 97.2 / 4));

        // Stop stops.
        await app.Page.EvaluateAsync("() => globalThis.__midiIn([0xfc])");
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true })).ToBeVisibleAsync();

        // Song Position 8 (sixteenths) and Continue: the loop goes on from step 9 (ring 2 plays steps 9–16, ring 1
        // steps 1–8): ring 2 first, at the Continue's time (step 9's note, or a moment late step 10's), ring 1 at the
        // next cycle's start.
        var before = (await Voice.ReadAsync(app.Page)).Count;
        var sentBefore = (await TestMidiPort.SentAsync(app.Page)).Count;
        var at = await app.Page.EvaluateAsync<double>("() => { const c = globalThis.__orbitrContexts.at(-1); globalThis.__midiIn([0xf2, 8, 0]); globalThis.__midiIn([0xfb]); return c.currentTime; }");
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true })).ToBeVisibleAsync();
        await app.Page.WaitForFunctionAsync("n => (globalThis.__orbitrScheduled ?? []).slice(n).some(v => v.track === 0 && !v.cancelled)", before,
            new() { Timeout = 20_000, PollingInterval = 50 });
        var resumed = (await Voice.ReadAsync(app.Page)).Skip(before).Where(v => v.Track >= 0 && !v.Cancelled).OrderBy(v => v.Time).ToList();
        output.WriteLine($"continue at {at:0.000}: " + string.Join(", ", resumed.Take(8).Select(v => $"{v.Track}@{v.Time:0.000}")));
        var stepSeconds = 60 / 97.3 / 4;
        var ring2 = resumed.First(v => v.Track == 1);
        Assert.Equal(1, resumed.Where(v => v.Track <= 1).First().Track);
        var ring1 = resumed.First(v => v.Track == 0);
        var stepsLeft = (ring1.Time - ring2.Time) / stepSeconds;     // from ring 2's first note to the cycle's end
        Assert.InRange(stepsLeft, 7 - 1e-6, 8 + 1e-6);
        Assert.InRange(Math.Abs(stepsLeft - Math.Round(stepsLeft)), 0, 1e-6);
        Assert.InRange(ring2.Time - at, -0.1, 0.25);                  // right after the Continue

        // Clock out continues too: Song Position 8 and Continue, then pulses from the point the loop went on from.
        var readings = await TestMidiPort.ReadingsAsync(app.Page);
        var sent = (await TestMidiPort.SentAsync(app.Page)).Skip(sentBefore).ToList();
        var spp = sent.FindIndex(m => m.Data is [0xf2, ..]);
        Assert.True(spp >= 0, "no Song Position went out");
        Assert.Equal([0xf2, 8, 0], sent[spp].Data);
        Assert.Equal([0xfb], sent[spp + 1].Data);
        var firstPulse = sent.Skip(spp).First(m => m.Data is [0xf8]);
        Assert.Equal(sent[spp + 1].Ts, firstPulse.Ts, 3);
        // The first pulse is at step 9's time: ring 2's first note is on it, or (that note more than 100 ms late and
        // skipped) one step after it.
        var steps = (TestMidiPort.OffsetBefore(readings, firstPulse.At) + 1000 * ring2.Time - firstPulse.Ts) / (1000 * stepSeconds);
        Assert.InRange(Math.Round(steps), 0, 1);
        Assert.InRange(Math.Abs(steps - Math.Round(steps)) * 1000 * stepSeconds, 0, 1.0);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Notes_from_the_input_play_their_rings_with_their_velocity_and_step_record_when_Record_is_on()
    {
        await using var app = await server.OpenAsync(TestMidiPort.Script);
        var p = PatternFactory.Create(4, seed: 6, name: "Notes in");
        p = PatternEditor.SetTrackMidi(p, 3, 2, 50);
        await app.ImportByDropAsync("in.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Notes in");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync(); // a gesture starts audio
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await TestMidiPort.TurnOnAsync(app);
        await app.Page.GetByLabel("MIDI input").SelectOptionAsync(new SelectOptionValue { Label = TestMidiPort.InputName });
        await app.Page.Keyboard.PressAsync("Escape");

        // Ring 2's GM note on channel 10 at velocity 64, ring 4's own note 50 on channel 2 at 127; a note no ring has does nothing.
        var snare = RingMidi.Notes(p)[1];
        var before = (await Voice.ReadAsync(app.Page)).Count;
        await app.Page.EvaluateAsync("n => globalThis.__midiIn([0x99, n, 64])", snare);
        await app.Page.WaitForFunctionAsync("n => (globalThis.__orbitrScheduled ?? []).length > n", before);
        await app.Page.EvaluateAsync("() => { globalThis.__midiIn([0x91, 50, 127]); globalThis.__midiIn([0x99, 50, 127]); globalThis.__midiIn([0x99, 51, 0]); }");
        await app.Page.WaitForFunctionAsync("n => (globalThis.__orbitrScheduled ?? []).length > n + 1", before);
        await Task.Delay(300);
        var played = (await Voice.ReadAsync(app.Page)).Skip(before).ToList();
        Assert.Equal([1, 3], played.Select(v => v.Track));
        Assert.Equal(64 / 127.0 / (127 / 127.0), played[0].Gain, 2);
        Assert.Equal(1.0, played[1].Gain, 2);

        // Record on, stopped: each note writes its ring's next step with its velocity.
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();
        await app.Page.EvaluateAsync("n => globalThis.__midiIn([0x99, n, 90])", snare);
        var saved = await app.WaitForSavedAsync(x => x.Tracks[1].Steps.Any(s => s.Active && s.Velocity == 90));
        Assert.Equal(1, saved.Tracks[1].Steps.Count(s => s.Active && s.Velocity == 90));
        Assert.Empty(app.ConsoleErrors);
    }
}
