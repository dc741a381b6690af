using System.Globalization;
using Orbitr.Core.Model;

namespace Orbitr.Web.Components;

/// <summary>What a musician reads for a ring: its sound ("Kick", "Closed hat", a generated sound's prompt) and the
/// name typed for it. A ring still called by its default letter (O R B I T R) is shown by its sound.</summary>
public static class TrackNames
{
    /// <summary>The ring's sound in words, or null when it has none.</summary>
    public static string? Sound(Track track, IEnumerable<SampleEntry> samples)
    {
        if (track.Sample is not { } key) return null;
        var entry = samples.FirstOrDefault(e => e.Key == key);
        if (entry is null) return key;
        return entry.Ref.Kind == SampleSourceKind.Builtin ? KitName(entry.Ref.Value) : entry.Ref.Name ?? key;
    }

    /// <summary>"closed-hat" → "Closed hat".</summary>
    public static string KitName(string id)
    {
        var words = id.Replace('-', ' ').Replace('_', ' ');
        return words.Length == 0 ? id : char.ToUpper(words[0], CultureInfo.InvariantCulture) + words[1..];
    }

    /// <summary>True when the user gave the ring a name of their own (not the letter it was created with).</summary>
    public static bool IsNamed(Track track, int index) => track.Name != PatternFactory.TrackName(index) && track.Name.Length > 0;

    /// <summary>The ring's title: the name typed for it, else its sound, else its letter.</summary>
    public static string Title(Track track, int index, IEnumerable<SampleEntry> samples) =>
        IsNamed(track, index) ? track.Name : Sound(track, samples) ?? track.Name;
}
