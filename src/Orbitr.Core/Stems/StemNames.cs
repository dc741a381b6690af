using System.Globalization;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;

namespace Orbitr.Core.Stems;

/// <summary>The names of a render's stem files (issue 25), <c>NN Ring name (sound) BPMbpm.wav</c> and
/// <c>NN Reverb return BPMbpm.wav</c>: the CLI's <c>--stems</c> and the browser's "Export stems" name them alike.</summary>
public static class StemNames
{
    /// <summary>One name per ring of the largest section (named by the first section that has it), then the reverb's
    /// return when any section uses the reverb. The BPM is the first section's.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<SongPart> parts, out bool reverb)
    {
        var bpm = parts[0].Pattern.Bpm.ToString("0.##", CultureInfo.InvariantCulture);
        var rings = parts.Max(x => x.Pattern.Tracks.Count);
        var names = new List<string>();
        for (var r = 0; r < rings; r++)
        {
            var pattern = parts.First(x => x.Pattern.Tracks.Count > r).Pattern;
            var track = pattern.Tracks[r];
            var sound = track.Sample is { } key ? $" ({SoundName(pattern, key)})" : "";
            names.Add(Clean($"{r + 1:00} {track.Name}{sound} {bpm}bpm.wav"));
        }
        reverb = parts.Any(x => x.Pattern.UsesReverb);
        if (reverb) names.Add($"{rings + 1:00} Reverb return {bpm}bpm.wav");
        return names;
    }

    private static string SoundName(Pattern pattern, string key) => pattern.FindSample(key) switch
    {
        { Kind: SampleSourceKind.Builtin } s when BuiltinSounds.Find(s.Value) is { } b => b.Label,
        { Name: { Length: > 0 } name } => name,
        _ => key,
    };

    // A ring or sound name may hold a slash or a control character: not in a file name (on any system, as a zip entry).
    private static readonly char[] Invalid = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    private static string Clean(string name) =>
        new(name.Select(c => Invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray());
}
