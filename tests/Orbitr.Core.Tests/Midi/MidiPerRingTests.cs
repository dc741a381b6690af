using NAudio.Midi;
using Orbitr.Core.Editing;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests.Midi;

/// <summary>Issue 25's "one file per ring": each file is the conductor and one ring's track, with exactly that ring's
/// notes of the whole file.</summary>
public class MidiPerRingTests
{
    private static List<(long Time, int Note, int Velocity, int Length)> Notes(IList<MidiEvent> track) =>
        track.OfType<NoteOnEvent>().Where(n => n.Velocity > 0).Select(n => (n.AbsoluteTime, n.NoteNumber, n.Velocity, n.NoteLength)).ToList();

    [Fact]
    public void Each_rings_file_holds_that_rings_track_of_the_whole_file()
    {
        var p = TestPatterns.Busy(swing: 40, seed: 3) with { Bpm = 101 };
        p = PatternEditor.UpdateStep(p, 2, 5, s => s with { Active = true, Ratchet = 3 });
        var whole = MidiExportTests.Read(MidiExport.ToBytes(p, 2));
        for (var r = 0; r < p.Tracks.Count; r++)
        {
            var one = MidiExportTests.Read(MidiExport.RingToBytes(p, 2, r));
            Assert.Equal(2, one.Tracks);
            Assert.Equal(whole.DeltaTicksPerQuarterNote, one.DeltaTicksPerQuarterNote);
            Assert.Equal(Notes(whole.Events[r + 1]), Notes(one.Events[1]));
            Assert.Equal(MidiExport.TrackName(p, r), one.Events[1].OfType<TextEvent>().First(t => t.MetaEventType == MetaEventType.SequenceTrackName).Text);
            Assert.Equal(whole.Events[0].OfType<TempoEvent>().Single().MicrosecondsPerQuarterNote, one.Events[0].OfType<TempoEvent>().Single().MicrosecondsPerQuarterNote);
            // One ring of the pattern, not the pattern: no Orbitr meta event to import it back as the whole.
            Assert.DoesNotContain(one.Events[0], e => e is SequencerSpecificEvent);
        }
        Assert.Contains(whole.Events[0], e => e is SequencerSpecificEvent);
    }

    [Fact]
    public void Ring_files_are_named_for_a_daw_and_a_ring_out_of_range_is_refused()
    {
        var p = PatternFactory.Create(6, seed: 1);
        Assert.Equal("01 O (Kick).mid", MidiExport.RingFileName(p, 0));
        Assert.Equal("06 R (Low tom).mid", MidiExport.RingFileName(p, 5));
        var odd = PatternEditor.UpdateTrack(p, 1, t => t with { Name = "a/b:c" });
        Assert.Equal("02 a_b_c (Snare).mid", MidiExport.RingFileName(odd, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiExport.RingToBytes(p, 1, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiExport.RingToBytes(p, 1, -1));
    }
}
