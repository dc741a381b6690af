using System.Runtime.InteropServices;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Audio.Interop;
using Orbitr.Web.Audio.Playback;
using Orbitr.Web.Components;
using Orbitr.Web.Pads;
using Orbitr.Web.Recording;
using Orbitr.Web.Settings;
using Orbitr.Web.Shortcuts;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26's pads and recording: pad mode's keys play rings (and only in pad mode), Record writes hits on
/// their nearest step while playing and on each ring's next step while stopped, one undo level per pass; the count-in.</summary>
public class PadRecordingTests : AppTestContext
{
    private const double Clock = 10.0; // the audio clock of the first tick: the pattern starts 120 ms later

    public PadRecordingTests()
    {
        var audio = JSInterop.SetupModule("./js/audio.js");
        audio.Mode = JSRuntimeMode.Loose;
        audio.Setup<StartResult>("start", _ => true).SetResult(new StartResult { Ok = true, SampleRate = 48000 });
        // 120 BPM (125 ms steps), no swing; ring 2 of its own length, 12.
        var p = PatternEditor.ClearPattern(PatternFactory.Create(4, seed: 1) with { Bpm = 120, Swing = 0 });
        Store.Load(PatternEditor.SetTrackLength(p, 2, 12));
    }

    private KeyboardShortcuts Keys => Services.GetRequiredService<KeyboardShortcuts>();
    private PadPlayer Pads => Services.GetRequiredService<PadPlayer>();
    private PadMode Mode => Services.GetRequiredService<PadMode>();
    private Recorder Recorder => Services.GetRequiredService<Recorder>();
    private AudioEngine Audio => Services.GetRequiredService<AudioEngine>();
    private SettingsStore Settings => Services.GetRequiredService<SettingsStore>();

    private static double[] Numbers(object? bytes) => MemoryMarshal.Cast<byte, double>((byte[])bytes!).ToArray();

    private async Task PlayAsync()
    {
        await Audio.PlayAsync();
        Audio.Tick(Clock); // anchors the pattern's start at Clock + 0.12
    }

    private static double At(long sixteenth, double offsetMs = 0) => Clock + Transport.StartDelaySeconds + sixteenth * 0.125 + offsetMs / 1000;

    private static void AssertStep(Step step, int velocity, double timing)
    {
        Assert.True(step.Active);
        Assert.Equal(velocity, step.Velocity);
        Assert.Equal(timing, step.Timing, 9);
    }

    [Fact]
    public async Task P_toggles_pad_mode_and_keys_js_is_told_so()
    {
        await Keys.StartAsync();
        await Keys.OnKey("p", false, false, -1, -1);
        Assert.True(Mode.On);
        Assert.Equal(true, JSInterop.Invocations["pads"].Last().Arguments[0]);
        await Keys.OnKey("p", false, false, -1, -1);
        Assert.False(Mode.On);
        Assert.Equal(false, JSInterop.Invocations["pads"].Last().Arguments[0]);
    }

    [Fact]
    public async Task A_pad_key_plays_its_ring_at_full_velocity_and_a_pad_its_velocity()
    {
        await Keys.OnPad(2, -1);
        var voice = Numbers(JSInterop.Invocations["hit"].Single().Arguments[0]);
        Assert.Equal(VoiceMessage.Stride, voice.Length);
        Assert.Equal((2.0, 1.0, Store.Pattern.Tracks[2].Pan), (voice[1], voice[5], voice[6])); // ring 2's bus, full gain, its pan
        await Pads.HitAsync(3, 0.25);
        Assert.Equal(0.25, Numbers(JSInterop.Invocations["hit"].Last().Arguments[0])[5]);
        Assert.DoesNotContain(Store.Pattern.Tracks.SelectMany(t => t.Steps), s => s.Active); // not recording: nothing written
    }

    [Fact]
    public async Task Outside_pad_mode_R_toggles_its_step_as_before_and_Shift_R_or_R_in_pad_mode_toggles_Record()
    {
        await Keys.OnKey("r", false, false, -1, -1);
        Assert.True(Store.Pattern.Tracks[0].Steps[13].Active); // R is step 14's key
        Assert.False(Recorder.On);
        await Keys.OnKey("r", true, false, -1, -1);
        Assert.True(Recorder.On);
        Mode.Set(true);
        await Keys.OnKey("r", false, false, -1, -1);
        Assert.False(Recorder.On);
        Assert.True(Store.Pattern.Tracks[0].Steps[13].Active);
    }

    [Fact]
    public async Task Stopped_each_hit_writes_its_rings_next_step_from_the_focused_step_wrapping_in_one_undo_level()
    {
        var before = Store.Pattern;
        Store.Focus(new StepAddress(1, 14));
        Recorder.Set(true);
        await Pads.HitAsync(1, 1);
        await Pads.HitAsync(1, 0.5);
        await Pads.HitAsync(1, 1); // wraps to step 1
        await Pads.HitAsync(3, 0.8); // another ring: from its step 1
        var p = Store.Pattern;
        AssertStep(p.Tracks[1].Steps[14], 127, 0);
        AssertStep(p.Tracks[1].Steps[15], 64, 0);
        AssertStep(p.Tracks[1].Steps[0], 127, 0);
        AssertStep(p.Tracks[3].Steps[0], 102, 0);
        Assert.Equal(4, p.Tracks.Sum(t => t.Steps.Count(s => s.Active)));
        Assert.Equal(3, Store.SelectedTrack); // the ring played becomes the selected one
        Assert.Equal(1, Recorder.CursorOf(3));
        Store.Undo();
        Assert.Equal(before, Store.Pattern);

        // Record off and on again: a new pass, its cursors from the start.
        Recorder.Set(false);
        Recorder.Set(true);
        await Pads.HitAsync(3, 1);
        AssertStep(Store.Pattern.Tracks[3].Steps[0], 127, 0);
    }

    [Fact]
    public async Task Playing_a_hit_writes_the_nearest_step_quantized_or_with_its_offset_and_a_pass_is_one_undo_level()
    {
        await PlayAsync();
        var before = Store.Pattern;
        Recorder.Set(true);
        await Pads.HitAsync(0, 1, At(4, 20));        // 20 ms late: step 5, quantized
        await Pads.HitAsync(2, 0.5, At(14, -30));    // ring of 12: sixteenth 14 is its step 3
        await Pads.HitAsync(1, 1, At(16 + 7, 40));   // the second cycle's step 8
        await Settings.UpdateAsync(x => x with { QuantizeRecording = false });
        await Pads.HitAsync(3, 1, At(9, -12.5));     // kept 12.5 ms early
        await Pads.HitAsync(3, 1, At(11, 62.4));     // 62.4 ms late is nearer step 12 than 13: clamped to +50
        var p = Store.Pattern;
        AssertStep(p.Tracks[0].Steps[4], 127, 0);
        AssertStep(p.Tracks[2].Steps[2], 64, 0);
        AssertStep(p.Tracks[1].Steps[7], 127, 0);
        AssertStep(p.Tracks[3].Steps[9], 127, -12.5);
        AssertStep(p.Tracks[3].Steps[11], 127, 50);
        Assert.Equal(5, p.Tracks.Sum(t => t.Steps.Count(s => s.Active)));

        await Audio.StopAsync(); // Play → Stop ends the pass: one undo level for all of it
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public async Task A_pass_ends_with_Stop_or_Record_off_so_the_next_is_its_own_undo_level()
    {
        Recorder.Set(true);
        await PlayAsync();
        await Pads.HitAsync(0, 1, At(0));
        await Audio.StopAsync();
        var first = Store.Pattern;
        await PlayAsync();
        await Pads.HitAsync(0, 1, At(2));
        Recorder.Set(false);
        await Pads.HitAsync(0, 1, At(6)); // Record off: only played
        Assert.False(Store.Pattern.Tracks[0].Steps[6].Active);
        Store.Undo();
        Assert.Equal(first, Store.Pattern);
        Assert.True(Store.Pattern.Tracks[0].Steps[0].Active);
    }

    [Fact]
    public async Task With_count_in_a_bar_of_clicks_comes_first_and_nothing_is_recorded_in_it()
    {
        await Settings.UpdateAsync(x => x with { CountIn = true });
        Recorder.Set(true);
        await Audio.PlayAsync();
        var m = Numbers(Audio.Tick(Clock));
        var rings = (int)m[2];
        var voices = m.Skip(TickMessage.Header + 3 + rings).Chunk(VoiceMessage.Stride).ToList();
        var clicks = voices.Where(v => v[1] == VoiceMessage.MetronomeTrack).Select(v => Math.Round(v[0], 9)).ToList();
        var start = Clock + Transport.StartDelaySeconds;
        Assert.Equal([start, start + 0.5, start + 1.0, start + 1.5], clicks.Take(4)); // 4/4 at 120 BPM: a bar of 2 s
        Assert.Equal(start + 2.0, m[TickMessage.Header], 9); // the pattern starts after it

        await Pads.HitAsync(0, 1, start + 1.0); // in the count-in: played, not written
        Assert.DoesNotContain(Store.Pattern.Tracks[0].Steps, s => s.Active);
        await Pads.HitAsync(0, 1, start + 2.0 - 0.03); // just before the first step: on it
        Assert.True(Store.Pattern.Tracks[0].Steps[0].Active);
        Assert.Equal(2, JSInterop.Invocations["hit"].Count);

        // Without Record the next Play has no count-in.
        await Audio.StopAsync();
        Recorder.Set(false);
        await Audio.PlayAsync();
        var plain = Numbers(Audio.Tick(Clock));
        Assert.Equal(Clock + Transport.StartDelaySeconds, plain[TickMessage.Header], 9);
    }

    [Fact]
    public void The_record_button_lights_and_the_pads_show_in_pad_mode()
    {
        var bar = Render<Live<PadBar>>();
        var record = bar.Find("button.record-toggle");
        Assert.Equal("false", record.GetAttribute("aria-pressed"));
        record.Click();
        Assert.True(Recorder.On);
        bar.Find("button.pads-toggle").Click();
        Assert.True(Mode.On);

        var grid = Render<Live<PadGrid>>();
        var pads = grid.FindAll("button.pad");
        Assert.Equal(4, pads.Count);
        Assert.Contains(Store.Pattern.Tracks[1].Name, pads[1].TextContent);
        pads[1].PointerDown(new Microsoft.AspNetCore.Components.Web.PointerEventArgs { PointerType = "pen", Pressure = 0.3f });
        grid.WaitForAssertion(() => Assert.True(Store.Pattern.Tracks[1].Steps[0].Active)); // step recording
        Assert.Equal(38, Store.Pattern.Tracks[1].Steps[0].Velocity);
    }

    [Fact]
    public void Quantize_is_on_and_count_in_off_by_default_and_both_are_kept()
    {
        Assert.True(AppSettings.Default.QuantizeRecording);
        Assert.False(AppSettings.Default.CountIn);
        var changed = AppSettings.Default with { QuantizeRecording = false, CountIn = true };
        Assert.Equal(changed, SettingsJson.Read(SettingsJson.Write(changed)));
        Assert.Equal(AppSettings.Default, SettingsJson.Read("""{"quantizeRecording": 1, "countIn": "yes"}"""));
    }

    [Theory]
    [InlineData("mouse", 0.5, 1)]
    [InlineData("touch", 0.5, 1)]
    [InlineData("touch", 0, 1)]
    [InlineData("pen", 0.3, 0.3)]
    [InlineData("touch", 1, 1)]
    public void A_pads_velocity_is_the_pressure_a_device_reports(string type, double pressure, double velocity) =>
        Assert.Equal(velocity, PadTouch.Velocity(type, pressure), 6);
}
