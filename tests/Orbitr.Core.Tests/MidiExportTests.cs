using NAudio.Midi;
using Orbitr.Core.Editing;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Tests;

public class MidiExportTests
{
    internal static MidiFile Read(byte[] bytes)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            return new MidiFile(path, false);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Pattern Groove()
    {
        var p = TestPatterns.Busy(swing: 40, seed: 3) with { Bpm = 97 };
        p = PatternEditor.SetTrackMute(p, 5, true);
        p = PatternEditor.EuclideanFill(p, 5, 4);
        p = PatternEditor.SetStepVelocity(p, 0, 0, 127);
        p = PatternEditor.SetStepVelocity(p, 1, 4, 33);
        return p with { TimeSignature = new TimeSignature(7, 8) };
    }

    [Fact]
    public void Header_tempo_and_time_signature_are_written()
    {
        var p = Groove();
        var midi = Read(MidiExport.ToBytes(p, 2));
        Assert.Equal(1, midi.FileFormat);
        Assert.Equal(960, midi.DeltaTicksPerQuarterNote);
        Assert.Equal(1 + p.Tracks.Count, midi.Tracks);
        var tempo = midi.Events[0].OfType<TempoEvent>().Single();
        Assert.Equal((int)Math.Round(60_000_000 / 97.0), tempo.MicrosecondsPerQuarterNote);
        var sig = midi.Events[0].OfType<TimeSignatureEvent>().Single();
        Assert.Equal((7, 3), (sig.Numerator, sig.Denominator));
    }

    [Fact]
    public void Every_scheduled_note_is_exported_at_its_tick_with_its_velocity_on_channel_ten()
    {
        var p = Groove();
        const int cycles = 4;
        var midi = Read(MidiExport.ToBytes(p, cycles));
        var expected = Scheduler.EventsForCycles(p, cycles);
        for (var t = 0; t < p.Tracks.Count; t++)
        {
            var notes = midi.Events[t + 1].OfType<NoteOnEvent>().Where(n => n.Velocity > 0).ToList();
            var mine = expected.Where(e => e.TrackIndex == t).ToList();
            Assert.Equal(mine.Count, notes.Count);
            for (var i = 0; i < mine.Count; i++)
            {
                // From the tempo as written (µs per quarter), not the exact BPM.
                Assert.Equal((long)Math.Round(mine[i].Time * 1e6 / Math.Round(60_000_000 / 97.0) * 960, MidpointRounding.AwayFromZero), notes[i].AbsoluteTime);
                Assert.Equal(p.Tracks[t].Steps[mine[i].StepIndex].Velocity, notes[i].Velocity);
                Assert.Equal(10, notes[i].Channel);
                Assert.True(notes[i].NoteLength is > 0 and <= 240);
            }
        }
        Assert.Empty(midi.Events[6].OfType<NoteOnEvent>()); // muted ring
    }

    [Fact]
    public void Builtin_sounds_map_to_general_midi_drum_notes_and_every_other_sound_gets_a_note_no_other_track_uses()
    {
        var p = PatternFactory.Create(6, 1);
        for (var t = 0; t < 6; t++) p = PatternEditor.ToggleStep(p, t, 0);
        p = p with { Samples = p.Samples.Add(new SampleEntry("bell", SampleRef.Generated("abc"))).Add(new SampleEntry("vox", SampleRef.File("vox.wav"))) };
        // Before, ring 3 got 36 + 3 = 39: the clap's note on ring 4.
        p = PatternEditor.SetTrackSample(p, 3, "bell");
        p = PatternEditor.SetTrackSample(p, 5, "vox");
        // A step's own non-kit sound on a kit ring gets a note of its own too.
        p = PatternEditor.SetStepSample(PatternEditor.ToggleStep(p, 0, 8), 0, 8, "bell");
        var midi = Read(MidiExport.ToBytes(p, 1));
        var perTrack = Enumerable.Range(1, 6).Select(t => midi.Events[t].OfType<NoteOnEvent>().Select(n => n.NoteNumber).ToArray()).ToArray();
        Assert.Equal([36, 38, 42, 39], new[] { perTrack[0][0], perTrack[1][0], perTrack[2][0], perTrack[4][0] });
        var kit = new[] { 36, 38, 42, 39 };
        var own = new[] { perTrack[3][0], perTrack[5][0], perTrack[0][1] };
        Assert.Equal(3, own.Distinct().Count());
        Assert.All(own, n => Assert.DoesNotContain(n, kit));
        Assert.All(own, n => Assert.InRange(n, 0, 127));
    }

    [Fact]
    public void Tracks_are_named_after_the_ring_and_its_sound()
    {
        var p = PatternFactory.Create(6, 1);
        p = p with { Samples = p.Samples.Add(new SampleEntry("bell", SampleRef.Generated("abc"))) };
        p = PatternEditor.SetTrackSample(p, 5, "bell");
        var midi = Read(MidiExport.ToBytes(p, 1));
        var names = Enumerable.Range(1, 6).Select(t => midi.Events[t].OfType<TextEvent>().First(e => e.MetaEventType == MetaEventType.SequenceTrackName).Text);
        Assert.Equal(["O - Kick", "R - Snare", "B - Closed hat", "I - Open hat", "T - Clap", "R - bell"], names);
    }

    private static long EndOfTrack(IList<MidiEvent> track) => track.Single(MidiEvent.IsEndTrack).AbsoluteTime;

    [Fact]
    public void A_late_last_note_is_cut_at_the_end_of_exactly_n_cycles()
    {
        // Swing 100 on step 16 at 120 BPM: the note starts at 1.9375 s and would end at 2.0625 s.
        var p = PatternEditor.ToggleStep(PatternFactory.Create(4, 1) with { Swing = 100 }, 0, 15);
        var midi = Read(MidiExport.ToBytes(p, 1));
        var end = 16 * 240;
        for (var t = 0; t < midi.Tracks; t++) Assert.Equal(end, EndOfTrack(midi.Events[t]));
        var note = midi.Events[1].OfType<NoteOnEvent>().Single();
        Assert.Equal(15 * 240 + 120, note.AbsoluteTime);
        Assert.Equal(end, note.OffEvent!.AbsoluteTime);
        var tempo = midi.Events[0].OfType<TempoEvent>().Single().MicrosecondsPerQuarterNote;
        Assert.Equal(2.0, end * (double)tempo / 960 / 1e6);
    }

    [Fact]
    public void A_note_pushed_past_the_span_stays_on_the_last_tick()
    {
        // 200 BPM: a sixteenth is 75 ms; swing 100 adds 37.5 ms and +50 ms micro-timing pushes step 16 past the end.
        var p = PatternEditor.ToggleStep(PatternFactory.Create(4, 1) with { Swing = 100, Bpm = 200 }, 0, 15);
        p = PatternEditor.SetStepTiming(p, 0, 15, 50);
        var midi = Read(MidiExport.ToBytes(p, 1));
        var end = EndOfTrack(midi.Events[1]);
        Assert.Equal(16 * 240, end);
        var note = midi.Events[1].OfType<NoteOnEvent>().Single();
        Assert.Equal((end - 1, end), (note.AbsoluteTime, note.OffEvent!.AbsoluteTime));
    }

    [Fact]
    public void Gaps_longer_than_a_delta_time_can_hold_are_split()
    {
        // 69,906 cycles × 3,840 ticks = 268,439,040 > 2²⁸ − 1: the conductor's end of track (and the silent rings')
        // cannot be one delta. NAudio threw "Maximum allowed Var Int".
        const int cycles = 69_906;
        var p = PatternEditor.ToggleStep(PatternFactory.Create(4, 1), 0, 0);
        var bytes = MidiExport.ToBytes(p, cycles);
        var midi = Read(bytes);
        for (var t = 0; t < midi.Tracks; t++)
        {
            Assert.Equal(cycles * 3840L, EndOfTrack(midi.Events[t]));
            var times = midi.Events[t].Select(e => e.AbsoluteTime).ToList();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 0, 0x0FFFFFFF));
        }
        var notes = midi.Events[1].OfType<NoteOnEvent>().ToList();
        Assert.Equal(cycles, notes.Count);
        Assert.Equal((cycles - 1) * 3840L, notes[^1].AbsoluteTime);
    }

    [Fact]
    public void Ticks_follow_the_written_tempo_so_a_thousand_cycles_do_not_drift()
    {
        // 97.3 BPM is written as 616,650 µs per quarter (60,000,000 / 97.3 = 616,649.5…); ticks at the exact BPM
        // drifted 1.47 ms from the pattern over 1,000 cycles when played at the written tempo.
        const int cycles = 1000;
        var p = PatternEditor.ToggleStep(PatternFactory.Create(4, 1) with { Bpm = 97.3 }, 0, 0);
        var midi = Read(MidiExport.ToBytes(p, cycles));
        var tempo = midi.Events[0].OfType<TempoEvent>().Single().MicrosecondsPerQuarterNote;
        Assert.Equal(616_650, tempo);
        double Seconds(long tick) => tick * (double)tempo / 960 / 1e6;
        var halfTick = Seconds(1) / 2;
        Assert.InRange(Seconds(EndOfTrack(midi.Events[1])) - cycles * p.CycleSeconds, -halfTick, halfTick);
        var last = midi.Events[1].OfType<NoteOnEvent>().Last();
        Assert.InRange(Seconds(last.AbsoluteTime) - (cycles - 1) * p.CycleSeconds, -halfTick, halfTick);
    }

    [Fact]
    public void Swing_and_micro_timing_move_the_ticks()
    {
        var p = PatternFactory.Create(1, 1) with { Swing = 50 };
        p = PatternEditor.ToggleStep(p, 0, 1);
        p = PatternEditor.SetStepTiming(p, 0, 1, -10);
        var note = Read(MidiExport.ToBytes(p, 1)).Events[1].OfType<NoteOnEvent>().Single();
        // Sixteenth 1 = 240 ticks, swing 50 % = +60 ticks, −10 ms at 120 BPM = −19.2 ticks.
        Assert.Equal(281, note.AbsoluteTime);
    }

    [Fact]
    public void Fewer_than_one_cycle_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiExport.ToBytes(PatternFactory.Create(4, 1), 0));
}
