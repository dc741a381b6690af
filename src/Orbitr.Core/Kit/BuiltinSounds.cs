namespace Orbitr.Core.Kit;

/// <summary>A sound of the built-in kit: the name used in <c>builtin:&lt;name&gt;</c> and its General MIDI drum note, if it has one.</summary>
public sealed record BuiltinSound(string Name, string Label, int? MidiDrumNote);

/// <summary>The catalogue of built-in kit names. Orbitr.Synthesis makes the audio for each; Core only knows the names and MIDI notes.</summary>
public static class BuiltinSounds
{
    public static readonly IReadOnlyList<BuiltinSound> All =
    [
        new("kick", "Kick", 36),
        new("snare", "Snare", 38),
        new("clap", "Clap", 39),
        new("closed-hat", "Closed hat", 42),
        new("open-hat", "Open hat", 46),
        new("low-tom", "Low tom", 45),
        new("high-tom", "High tom", 50),
        new("rim", "Rim", 37),
        new("cowbell", "Cowbell", 56),
        new("shaker", "Shaker", 70),
        new("crash", "Crash", 49),
        new("bass", "Bass", null),
    ];

    public static BuiltinSound? Find(string name)
    {
        foreach (var s in All)
            if (s.Name == name) return s;
        return null;
    }

    public static bool Exists(string name) => Find(name) is not null;
}
