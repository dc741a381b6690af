using Orbitr.Core.Model;

namespace Orbitr.Core.Songs;

/// <summary>Edits of a song (the song view's): each returns a new song, or the same one when the edit does not
/// apply (an index out of range, the last section removed, a repeat out of 1–64 is clamped). Songs stay valid:
/// 1–256 sections, repeats 1–64, a name of 1–64 characters.</summary>
public static class SongEditor
{
    public static Song Create(string name, string pattern, int repeat = 1) =>
        new(CleanName(name, "Song"), new EquatableArray<SongSection>(new[] { new SongSection(pattern, ClampRepeat(repeat)) }));

    /// <summary>Adds a section at <paramref name="index"/> (the end when null).</summary>
    public static Song Add(Song song, string pattern, int repeat = 1, int? index = null)
    {
        if (song.Sections.Count >= Song.MaxSections) return song;
        var list = song.Sections.Items.ToList();
        var at = Math.Clamp(index ?? list.Count, 0, list.Count);
        list.Insert(at, new SongSection(pattern, ClampRepeat(repeat)));
        return With(song, list);
    }

    /// <summary>A copy of section <paramref name="index"/> right after it.</summary>
    public static Song Duplicate(Song song, int index) =>
        index < 0 || index >= song.Sections.Count ? song : Add(song, song.Sections[index].Pattern, song.Sections[index].Repeat, index + 1);

    /// <summary>Removes a section; the last one stays (a song has at least one).</summary>
    public static Song Remove(Song song, int index)
    {
        if (index < 0 || index >= song.Sections.Count || song.Sections.Count == 1) return song;
        var list = song.Sections.Items.ToList();
        list.RemoveAt(index);
        return With(song, list);
    }

    /// <summary>Moves section <paramref name="from"/> to position <paramref name="to"/> (the others keep their order).</summary>
    public static Song Move(Song song, int from, int to)
    {
        var n = song.Sections.Count;
        if (from < 0 || from >= n || to < 0 || to >= n || from == to) return song;
        var list = song.Sections.Items.ToList();
        var section = list[from];
        list.RemoveAt(from);
        list.Insert(to, section);
        return With(song, list);
    }

    public static Song SetRepeat(Song song, int index, int repeat)
    {
        if (index < 0 || index >= song.Sections.Count) return song;
        var list = song.Sections.Items.ToList();
        list[index] = list[index] with { Repeat = ClampRepeat(repeat) };
        return With(song, list);
    }

    public static Song Rename(Song song, string name) => song with { Name = CleanName(name, song.Name) };

    /// <summary>Every section naming <paramref name="from"/> names <paramref name="to"/> instead.</summary>
    public static Song Replace(Song song, string from, string to) =>
        With(song, song.Sections.Items.Select(s => s.Pattern == from ? s with { Pattern = to } : s).ToList());

    public static int ClampRepeat(int repeat) => Math.Clamp(repeat, SongSection.MinRepeat, SongSection.MaxRepeat);

    private static string CleanName(string name, string fallback)
    {
        name = name.Trim();
        if (name.Length == 0) name = fallback;
        return name.Length > Song.MaxNameLength ? name[..Song.MaxNameLength] : name;
    }

    private static Song With(Song song, List<SongSection> sections) => song with { Sections = new EquatableArray<SongSection>(sections) };
}
