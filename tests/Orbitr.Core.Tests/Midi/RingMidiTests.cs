using Orbitr.Core.Json;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests.Midi;

public sealed class RingMidiTests
{
    [Fact]
    public void A_kit_ring_sends_its_sounds_GM_note_on_channel_10_unless_it_says_otherwise()
    {
        var p = PatternFactory.Create(6, seed: 1);
        var notes = RingMidi.Notes(p);
        Assert.Equal(MidiExport.NoteMap(p)[(0, p.Tracks[0].Sample!)], notes[0]);
        Assert.Equal(36, notes[0]); // the default pattern's first ring is the kick: GM bass drum 1
        Assert.Equal(10, RingMidi.Channel(p.Tracks[0]));

        var own = p with { Tracks = p.Tracks.SetItem(1, p.Tracks[1] with { MidiChannel = 3, MidiNote = 60 }) };
        Assert.Equal(60, RingMidi.Notes(own)[1]);
        Assert.Equal(3, RingMidi.Channel(own.Tracks[1]));
        Assert.Equal(1, RingMidi.RingOf(own, 3, 60));
        Assert.Equal(-1, RingMidi.RingOf(own, 10, 60));
        Assert.Equal(0, RingMidi.RingOf(own, 10, 36));
    }

    [Fact]
    public void The_ring_fields_round_trip_through_the_pattern_file_and_stay_out_of_it_when_unset()
    {
        var p = PatternFactory.Create(6, seed: 1);
        Assert.DoesNotContain("midi", PatternJson.Write(p), StringComparison.OrdinalIgnoreCase);
        var own = p with { Tracks = p.Tracks.SetItem(2, p.Tracks[2] with { MidiChannel = 16, MidiNote = 0 }) };
        var json = PatternJson.Write(own);
        Assert.Contains("\"midiChannel\": 16", json);
        Assert.Contains("\"midiNote\": 0", json);
        var read = PatternJson.Read(json);
        Assert.True(read.Ok);
        Assert.Equal(own, read.Pattern);
    }
}
