using System.Text;
using Orbitr.Core.Model;

namespace Orbitr.Core.Songs;

/// <summary>A song with its patterns inside (issue 25: how the browser exports a song, and what it imports): every
/// distinct reference becomes <c>bundle:&lt;key&gt;</c>, the key made from the pattern's name (unique, lower case,
/// letters, digits and hyphens), and the pattern goes into <see cref="Song.Patterns"/>.</summary>
public static class SongBundle
{
    /// <summary>Packs <paramref name="song"/>; <paramref name="resolve"/> gives the pattern a reference names (null:
    /// missing). Missing references are listed and the song is not packed (null).</summary>
    public static Song? Pack(Song song, Func<string, Pattern?> resolve, out IReadOnlyList<string> missing)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var patterns = new List<SongPattern>();
        var lost = new List<string>();
        foreach (var reference in song.References)
        {
            if (resolve(reference) is not { } pattern)
            {
                lost.Add(reference);
                continue;
            }
            var key = Key(pattern.Name);
            for (var n = 2; !used.Add(key); n++) key = $"{Key(pattern.Name)}-{n}";
            keys[reference] = Song.BundlePrefix + key;
            patterns.Add(new SongPattern(key, pattern));
        }
        missing = lost;
        if (lost.Count > 0) return null;
        var sections = song.Sections.Items.Select(s => s with { Pattern = keys[s.Pattern] });
        return song with { Sections = new EquatableArray<SongSection>(sections), Patterns = new EquatableArray<SongPattern>(patterns) };
    }

    /// <summary>The song's parts in section order, its bundled patterns resolved (every reference must be a bundle key).</summary>
    public static IReadOnlyList<SongPart>? Parts(Song song)
    {
        var parts = new List<SongPart>(song.Sections.Count);
        foreach (var s in song.Sections)
        {
            if (song.Bundled(s.Pattern) is not { } p) return null;
            parts.Add(new SongPart(p, s.Repeat));
        }
        return parts;
    }

    /// <summary>A bundle key of a pattern name: "Verse A!" → "verse-a".</summary>
    public static string Key(string name)
    {
        var b = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') b.Append(c);
            else if (b.Length > 0 && b[^1] != '-') b.Append('-');
            if (b.Length >= 40) break;
        }
        var key = b.ToString().Trim('-');
        return key.Length == 0 ? "pattern" : key;
    }
}
