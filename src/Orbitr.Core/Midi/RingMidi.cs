using Orbitr.Core.Model;

namespace Orbitr.Core.Midi;

/// <summary>Each ring's MIDI channel and note for Web MIDI out and in (issue 26): what the ring says, else channel 10
/// and the note its sound has in a MIDI file export (<see cref="MidiExport.NoteMap"/>: a kit sound's GM drum note).</summary>
public static class RingMidi
{
    public static int Channel(Track track) => track.MidiChannel ?? Track.DefaultMidiChannel;

    /// <summary>The note of every ring, in ring order.</summary>
    public static int[] Notes(Pattern pattern)
    {
        IReadOnlyDictionary<(int Track, string Sample), int>? map = null;
        var notes = new int[pattern.Tracks.Count];
        for (var t = 0; t < notes.Length; t++)
        {
            var track = pattern.Tracks[t];
            if (track.MidiNote is { } own) notes[t] = own;
            else if (track.Sample is { } key && (map ??= MidiExport.NoteMap(pattern)).TryGetValue((t, key), out var mapped)) notes[t] = mapped;
            else notes[t] = Math.Clamp(36 + t, Track.MinMidiNote, Track.MaxMidiNote); // a ring with no sound: C1 up
        }
        return notes;
    }

    /// <summary>The ring that answers to an incoming note on a channel (1–16): the first with that channel and note; −1 none.</summary>
    public static int RingOf(Pattern pattern, int channel, int note) => RingOf(pattern, Notes(pattern), channel, note);

    /// <summary>The same, with the rings' <see cref="Notes"/> already worked out (a MIDI input asks once per note).</summary>
    public static int RingOf(Pattern pattern, int[] notes, int channel, int note)
    {
        for (var t = 0; t < notes.Length; t++)
            if (notes[t] == note && Channel(pattern.Tracks[t]) == channel) return t;
        return -1;
    }
}
