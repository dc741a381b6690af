using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Web.Audio.Playback;
using Orbitr.Web.Components;
using Orbitr.Web.Midi;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26's MIDI pieces that live in C#: the stored setup, the menu where the browser has no Web MIDI,
/// and the transport started at a Song Position on an incoming Start's time.</summary>
public sealed class MidiTests : AppTestContext
{
    [Fact]
    public void The_setup_round_trips_and_bad_stored_text_gives_defaults_field_by_field()
    {
        var setup = new MidiSetup(true, "out-1", "in \"2\"", SendClock: true, FollowClock: true);
        Assert.Equal(setup, MidiSetup.Read(setup.Write()));
        Assert.Equal(new MidiSetup(), MidiSetup.Read(null));
        Assert.Equal(new MidiSetup(), MidiSetup.Read("not json"));
        Assert.Equal(new MidiSetup(), MidiSetup.Read("[1]"));
        Assert.Equal(new MidiSetup(SendClock: true), MidiSetup.Read("""{"enabled":"yes","output":7,"input":"","sendClock":true}"""));
    }

    [Fact]
    public void In_a_browser_without_Web_MIDI_the_menu_says_why_MIDI_is_off()
    {
        // bUnit's loose JS answers midi.js's supported() with false, as a browser without navigator.requestMIDIAccess does.
        var cut = Render<MidiMenu>();
        cut.Find("button.menu-toggle").Click();
        cut.WaitForAssertion(() => Assert.Contains("MIDI is off: " + MidiPorts.NoWebMidi, cut.Find(".midi-off").TextContent));
        Assert.NotNull(cut.Find("button.primary"));
    }

    [Fact]
    public void A_transport_started_at_a_song_position_on_a_given_time_plays_that_step_then_and_cycles_count_from_the_start()
    {
        var p = PatternFactory.Create(2, seed: 2) with { Bpm = 100, Swing = 0 };
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        var transport = new Transport();
        var from = 20 * p.StepSeconds;                    // Song Position 20: cycle 1, step 5
        transport.Start(p, from, originAt: 10.0);
        var notes = new List<NoteEvent>();
        transport.Tick(10.04, p, notes);                  // the transport hears of it 40 ms late
        Assert.Equal(10.0 - from, transport.Origin, 9);
        Assert.Equal(4, notes[0].StepIndex);              // the step due at the Start's time plays (at once)
        Assert.Equal(1, notes[0].Cycle);
        Assert.Equal(10.0, transport.Origin + notes[0].Time, 9);

        // Heard of 150 ms late: the note that was due is dropped (it would come late as a burst), the next plays.
        var late = new Transport();
        late.Start(p, from, originAt: 10.0);
        notes.Clear();
        late.Tick(10.15, p, notes);
        Assert.Equal(5, notes[0].StepIndex);
    }

    [Fact]
    public async Task A_followed_tempo_ends_when_follow_is_switched_off_or_the_input_goes()
    {
        var audio = Services.GetRequiredService<Orbitr.Web.Audio.AudioEngine>();
        var midi = Services.GetRequiredService<MidiPorts>();
        await midi.SetFollowClockAsync(true);
        audio.FollowedBpm = 97.3;
        await midi.SetInputAsync(null);                  // no input (bUnit's browser lists none)
        Assert.Null(audio.FollowedBpm);
        audio.FollowedBpm = 97.3;
        await midi.SetFollowClockAsync(false);
        Assert.Null(audio.FollowedBpm);
    }
}
