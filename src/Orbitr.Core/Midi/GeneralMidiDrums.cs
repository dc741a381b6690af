using Orbitr.Core.Kit;

namespace Orbitr.Core.Midi;

/// <summary>General MIDI percussion (notes 35–81 on channel 10) and the kit sound each one is played with.</summary>
public static class GeneralMidiDrums
{
    public const int First = 35, Last = 81;

    // Name and the kit sound of the same family (a conga is a tom, a ride a cymbal), from GM 1's percussion map.
    private static readonly (string Name, string Sound)[] Map =
    [
        ("Acoustic bass drum", "kick"), ("Bass drum", "kick"), ("Side stick", "rim"), ("Acoustic snare", "snare"),
        ("Hand clap", "clap"), ("Electric snare", "snare"), ("Low floor tom", "low-tom"), ("Closed hi-hat", "closed-hat"),
        ("High floor tom", "low-tom"), ("Pedal hi-hat", "closed-hat"), ("Low tom", "low-tom"), ("Open hi-hat", "open-hat"),
        ("Low-mid tom", "low-tom"), ("Hi-mid tom", "high-tom"), ("Crash cymbal", "crash"), ("High tom", "high-tom"),
        ("Ride cymbal", "crash"), ("Chinese cymbal", "crash"), ("Ride bell", "cowbell"), ("Tambourine", "shaker"),
        ("Splash cymbal", "crash"), ("Cowbell", "cowbell"), ("Crash cymbal 2", "crash"), ("Vibraslap", "shaker"),
        ("Ride cymbal 2", "crash"), ("Hi bongo", "high-tom"), ("Low bongo", "low-tom"), ("Mute hi conga", "high-tom"),
        ("Open hi conga", "high-tom"), ("Low conga", "low-tom"), ("High timbale", "high-tom"), ("Low timbale", "low-tom"),
        ("High agogo", "cowbell"), ("Low agogo", "cowbell"), ("Cabasa", "shaker"), ("Maracas", "shaker"),
        ("Short whistle", "cowbell"), ("Long whistle", "cowbell"), ("Short guiro", "shaker"), ("Long guiro", "shaker"),
        ("Claves", "rim"), ("Hi wood block", "rim"), ("Low wood block", "rim"), ("Mute cuica", "high-tom"),
        ("Open cuica", "high-tom"), ("Mute triangle", "cowbell"), ("Open triangle", "cowbell"),
    ];

    /// <summary>The GM percussion name of a note ("Closed hi-hat"), or "note N" outside 35–81.</summary>
    public static string Name(int note) => note is >= First and <= Last ? Map[note - First].Name : $"note {note}";

    /// <summary>The kit sound a note plays: its GM family's, else (outside 35–81) the kit sound whose GM note is
    /// nearest (the lower on a tie).</summary>
    public static BuiltinSound Sound(int note)
    {
        if (note is >= First and <= Last) return BuiltinSounds.Find(Map[note - First].Sound)!;
        return BuiltinSounds.All.Where(s => s.MidiDrumNote is not null)
            .OrderBy(s => Math.Abs(s.MidiDrumNote!.Value - note)).ThenBy(s => s.MidiDrumNote).First();
    }

    /// <summary>Whether the note is the kit sound's own GM note (nothing to report when importing it).</summary>
    public static bool IsExact(int note) => Sound(note).MidiDrumNote == note;
}
