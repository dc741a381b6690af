using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;

namespace Orbitr.Core.Tests.Songs;

/// <summary>The song view's edits keep a song valid (1–256 sections, repeats 1–64) and do only what they say; a bundle
/// packs every distinct pattern once under a unique key and reads back as the same song.</summary>
public class SongEditorTests
{
    private static readonly Arbitrary<Song> Songs = (
        from count in Gen.Choose(1, 12)
        from sections in Gen.ListOf(
            from id in Gen.Choose(1, 5)
            from repeat in Gen.Choose(SongSection.MinRepeat, SongSection.MaxRepeat)
            select new SongSection($"library:p{id}", repeat), count)
        select new Song("Song", new EquatableArray<SongSection>(sections))).ToArbitrary();

    private static readonly Arbitrary<(Song Song, int From, int To)> Moves = (
        from song in Songs.Generator
        from from_ in Gen.Choose(-1, song.Sections.Count)
        from to in Gen.Choose(-1, song.Sections.Count)
        select (song, from_, to)).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property A_move_keeps_every_section_and_puts_the_moved_one_where_asked() => Prop.ForAll(Moves, c =>
    {
        var (song, from, to) = c;
        var moved = SongEditor.Move(song, from, to);
        var n = song.Sections.Count;
        if (from < 0 || from >= n || to < 0 || to >= n) return moved == song;
        var others = song.Sections.Items.RemoveAt(from);
        return moved.Sections.Count == n && moved.Sections[to] == song.Sections[from] && moved.Sections.Items.RemoveAt(to).SequenceEqual(others);
    });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Edits_keep_the_song_valid() => Prop.ForAll(Songs, Gen.Choose(-3, 15).ToArbitrary(), Gen.Choose(-100, 100).ToArbitrary(), (song, index, repeat) =>
    {
        Song[] edits = [SongEditor.Add(song, "library:new", repeat, index), SongEditor.Duplicate(song, index), SongEditor.Remove(song, index),
            SongEditor.SetRepeat(song, index, repeat), SongEditor.Rename(song, new string('x', 100))];
        return edits.All(e => SongJson.Validate(e).Count == 0 && SongJson.Read(SongJson.Write(e)).Song == e);
    });

    [Fact]
    public void Add_duplicate_remove_and_repeat_do_what_they_say()
    {
        var song = SongEditor.Create("  ", "library:a", 2);
        Assert.Equal("Song", song.Name);
        song = SongEditor.Add(song, "library:b", 3);
        Assert.Equal([("library:a", 2), ("library:b", 3)], song.Sections.Items.Select(s => (s.Pattern, s.Repeat)));
        song = SongEditor.Duplicate(song, 0);
        Assert.Equal(["library:a", "library:a", "library:b"], song.Sections.Items.Select(s => s.Pattern));
        song = SongEditor.SetRepeat(song, 2, 99);
        Assert.Equal(SongSection.MaxRepeat, song.Sections[2].Repeat);
        song = SongEditor.SetRepeat(song, 2, 0);
        Assert.Equal(SongSection.MinRepeat, song.Sections[2].Repeat);
        song = SongEditor.Remove(song, 1);
        Assert.Equal(["library:a", "library:b"], song.Sections.Items.Select(s => s.Pattern));
        var one = SongEditor.Remove(SongEditor.Remove(song, 0), 0);
        Assert.Single(one.Sections.Items); // the last section stays
        Assert.Equal(song, SongEditor.Duplicate(song, 7));
        Assert.Equal(["library:c", "library:b"], SongEditor.Replace(song, "library:a", "library:c").Sections.Items.Select(s => s.Pattern));
    }

    [Fact]
    public void No_more_than_256_sections()
    {
        var song = SongEditor.Create("Long", "library:a");
        for (var i = 0; i < 300; i++) song = SongEditor.Duplicate(song, 0);
        Assert.Equal(Song.MaxSections, song.Sections.Count);
        Assert.Equal(song, SongEditor.Add(song, "library:b"));
    }

    [Fact]
    public void A_bundle_holds_each_pattern_once_under_a_unique_key_and_reads_back()
    {
        var verse = PatternFactory.Create(4, 1, "Verse A!");
        var chorus = PatternFactory.Create(5, 2, "Verse A?"); // the same key at first: made unique
        var song = SongEditor.Add(SongEditor.Add(SongEditor.Create("Demo", "library:v", 4), "library:c", 2), "library:v", 1);
        var bundle = SongBundle.Pack(song, r => r switch { "library:v" => verse, "library:c" => chorus, _ => null }, out var missing);
        Assert.Empty(missing);
        Assert.NotNull(bundle);
        Assert.Equal(["verse-a", "verse-a-2"], bundle.Patterns.Items.Select(p => p.Key));
        Assert.Equal(["bundle:verse-a", "bundle:verse-a-2", "bundle:verse-a"], bundle.Sections.Items.Select(s => s.Pattern));
        var read = SongJson.Read(SongJson.Write(bundle));
        Assert.Equal(bundle, read.Song);
        Assert.Equal([(verse, 4), (chorus, 2), (verse, 1)], SongBundle.Parts(read.Song!)!.Select(p => (p.Pattern, p.Repeat)));

        Assert.Null(SongBundle.Pack(song, r => r == "library:v" ? verse : null, out missing));
        Assert.Equal(["library:c"], missing);
        Assert.Equal("pattern", SongBundle.Key("★★"));
    }
}
