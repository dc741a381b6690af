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
                Assert.Equal((long)Math.Round(mine[i].Time * p.Bpm / 60 * 960, MidpointRounding.AwayFromZero), notes[i].AbsoluteTime);
                Assert.Equal(p.Tracks[t].Steps[mine[i].StepIndex].Velocity, notes[i].Velocity);
                Assert.Equal(10, notes[i].Channel);
                Assert.True(notes[i].NoteLength is > 0 and <= 240);
            }
        }
        Assert.Empty(midi.Events[6].OfType<NoteOnEvent>()); // muted ring
    }

    [Fact]
    public void Builtin_sounds_map_to_general_midi_drum_notes_and_others_to_36_plus_track()
    {
        var p = PatternFactory.Create(6, 1);
        for (var t = 0; t < 6; t++) p = PatternEditor.ToggleStep(p, t, 0);
        p = p with { Samples = p.Samples.Add(new SampleEntry("bell", SampleRef.Generated("abc"))) };
        p = PatternEditor.SetTrackSample(p, 5, "bell");
        var midi = Read(MidiExport.ToBytes(p, 1));
        var notes = Enumerable.Range(1, 6).Select(t => midi.Events[t].OfType<NoteOnEvent>().First().NoteNumber).ToArray();
        Assert.Equal([36, 38, 42, 46, 39, 36 + 5], notes);
        Assert.Equal("O", midi.Events[1].OfType<TextEvent>().First().Text);
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
