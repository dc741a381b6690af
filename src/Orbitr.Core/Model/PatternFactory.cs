using Orbitr.Core.Kit;

namespace Orbitr.Core.Model;

/// <summary>Makes new patterns: six rings O R B I T R by default, each with a kit sound and its own colour.</summary>
public static class PatternFactory
{
    /// <summary>Ring colours, outside in; distinct and readable on a dark background.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#ff6b35", "#f7c548", "#4ecdc4", "#5b8cff", "#c77dff", "#ff5d8f", "#7bd389", "#e0e0e0"];

    private static readonly string[] Labels = ["O", "R", "B", "I", "T", "R", "+", "+"];
    private static readonly string[] Sounds = ["kick", "snare", "closed-hat", "open-hat", "clap", "low-tom", "rim", "cowbell"];

    public static Pattern Create(int tracks = 6, uint? seed = null, string name = "Untitled")
    {
        if (tracks is < Pattern.MinTracks or > Pattern.MaxTracks)
            throw new ArgumentOutOfRangeException(nameof(tracks), tracks, $"tracks must be {Pattern.MinTracks}–{Pattern.MaxTracks}");
        var samples = new List<SampleEntry>();
        var rings = new List<Track>();
        for (var i = 0; i < tracks; i++)
        {
            var sound = Sounds[i];
            samples.Add(new SampleEntry(sound, SampleRef.Builtin(sound)));
            rings.Add(Track.Create(TrackName(i), Palette[i], sound, Pattern.DefaultLength));
        }
        return new Pattern(name, Pattern.DefaultBpm, 0, Pattern.DefaultLength, TimeSignature.Common,
            seed ?? (uint)Random.Shared.NextInt64(0, (long)uint.MaxValue + 1), MasterSettings.Default,
            new EquatableArray<SampleEntry>(samples), new EquatableArray<Track>(rings));
    }

    /// <summary>Label for a new ring at <paramref name="index"/>: the letters of ORBITR, then numbers.</summary>
    public static string TrackName(int index) => index < 6 ? Labels[index] : (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Default kit sound for a new ring at <paramref name="index"/>.</summary>
    public static string DefaultSound(int index) => Sounds[index % Sounds.Length];

    public static string DefaultColor(int index) => Palette[index % Palette.Count];

    /// <summary>Pattern that a JSON document with only its required header decodes to (all defaults, no tracks).</summary>
    public static Pattern Defaults() => new("Untitled", Pattern.DefaultBpm, 0, Pattern.DefaultLength, TimeSignature.Common, 1,
        MasterSettings.Default, EquatableArray<SampleEntry>.Empty, EquatableArray<Track>.Empty);
}
