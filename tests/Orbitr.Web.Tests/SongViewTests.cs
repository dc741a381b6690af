using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Web.Components;
using Orbitr.Web.Files;
using Orbitr.Web.Patterns;
using Orbitr.Web.Songs;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>The song view (issue 25): a song of library patterns is made, reordered (buttons and drag), repeated,
/// duplicated and trimmed from the panel; a section whose pattern is gone says so and blocks export; a bundle
/// imports as patterns plus a song naming them.</summary>
public class SongViewTests : AppTestContext
{
    private PatternLibrary Library => Services.GetRequiredService<PatternLibrary>();
    private SongLibrary Songs => Services.GetRequiredService<SongLibrary>();
    private Notices Notices => Services.GetRequiredService<Notices>();

    private async Task<(string Verse, string Chorus)> TwoPatternsAsync()
    {
        await Library.RestoreAsync();
        Store.PatternChanged += Library.OnPatternChanged;
        await Library.SaveAsAsync("Verse");
        var verse = Library.CurrentId!;
        await Library.SaveAsAsync("Chorus");
        Store.Dispatch(p => PatternEditor.SetBpm(p, 140));
        await Songs.RestoreAsync();
        return (verse, Library.CurrentId!);
    }

    private static string[] Names(IRenderedComponent<SongPanel> cut) =>
        [.. cut.FindAll(".song-section .section-name").Select(e => e.TextContent.Trim())];

    [Fact]
    public async Task A_song_is_made_and_edited_from_the_panel()
    {
        var (verse, chorus) = await TwoPatternsAsync();
        var cut = Render<SongPanel>();
        cut.Find("button.menu-toggle").Click();
        Assert.Contains("A song plays your patterns in order", cut.Find(".song-panel .hint").TextContent);

        cut.Find("button:contains('New song')").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Chorus"], Names(cut))); // the pattern being edited, twice
        Assert.Equal(2, Songs.Current!.Song.Sections[0].Repeat);
        Assert.Equal("Song", cut.Find("input[aria-label='Song name']").GetAttribute("value"));

        cut.Find("select[aria-label='Pattern to add']").Change(verse);
        cut.Find("button:contains('Add section')").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Chorus", "Verse"], Names(cut)));
        cut.Find("input[aria-label='Repeats of section 2']").Change("4");
        cut.WaitForAssertion(() => Assert.Equal(4, Songs.Current!.Song.Sections[1].Repeat));
        cut.Find("input[aria-label='Repeats of section 2']").Change("500"); // clamped, not refused
        cut.WaitForAssertion(() => Assert.Equal(SongSection.MaxRepeat, Songs.Current!.Song.Sections[1].Repeat));
        cut.Find("input[aria-label='Repeats of section 2']").Change("4");

        cut.Find("button[aria-label='Move section 2 left']").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Verse", "Chorus"], Names(cut)));
        Assert.True(cut.Find("button[aria-label='Move section 1 left']").HasAttribute("disabled"));
        cut.Find("button[aria-label='Duplicate section 1']").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Verse", "Verse", "Chorus"], Names(cut)));
        Assert.Equal([4, 4, 2], Songs.Current!.Song.Sections.Items.Select(s => s.Repeat));

        // Drag the chorus onto the first place.
        cut.FindAll("li.song-section")[2].DragStart();
        cut.FindAll("li.song-section")[0].DragEnter();
        Assert.Contains("drop-here", cut.FindAll("li.song-section")[0].ClassName);
        cut.FindAll("li.song-section")[0].Drop();
        cut.WaitForAssertion(() => Assert.Equal(["Chorus", "Verse", "Verse"], Names(cut)));

        cut.Find("button[aria-label='Remove section 3']").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Chorus", "Verse"], Names(cut)));
        cut.Find("input[aria-label='Song name']").Change("  Night drive  ");
        cut.WaitForAssertion(() => Assert.Equal("Night drive", Songs.Current!.Name));
        // 2 × 2 s at 140 BPM… the status gives the sections and the length: 2 × (16 × 60/140/4) + 4 × 2 s.
        var seconds = 2 * 16 * 60 / 140.0 / 4 + 4 * 2.0;
        Assert.Equal($"2 sections · 0:{(int)Math.Round(seconds):00}", cut.Find(".song-status").TextContent.Trim());
        Assert.Equal([SongEntry.Reference(chorus), SongEntry.Reference(verse)], Songs.Current!.Song.Sections.Items.Select(s => s.Pattern));

        // Loop a range: the selects appear, the range is marked.
        cut.Find("input[aria-label='Loop sections']").Change(true);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li.song-section.looped").Count));
        cut.Find("select[aria-label='Loop from section']").Change("2"); // section 2
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("li.song-section.looped")));
        Assert.Equal((1, 1), Services.GetRequiredService<SongPlayer>().Loop);
    }

    [Fact]
    public async Task A_section_whose_pattern_was_deleted_says_so_and_the_song_cannot_export()
    {
        var (verse, _) = await TwoPatternsAsync();
        await Songs.NewAsync();
        await Songs.EditAsync(s => SongEditor.Add(s, SongEntry.Reference(verse)));
        await Library.DeleteAsync(verse);
        var cut = Render<SongPanel>();
        cut.Find("button.menu-toggle").Click();
        Assert.Equal(["Chorus", "Missing pattern"], Names(cut));
        Assert.True(cut.Find("button[aria-label='Play from section 2']").HasAttribute("disabled"));
        cut.Find("button:contains('Export song MIDI')").Click();
        cut.WaitForAssertion(() => Assert.Contains(Notices.Items, n => n.IsError && n.Code == ErrorCodes.InvalidPattern && n.Title.Contains("no longer in your patterns")));
        Assert.Null(Songs.Bundle(Songs.Current!.Song, out var missing));
        Assert.Equal([SongEntry.Reference(verse)], missing);
    }

    [Fact]
    public async Task A_bundle_imports_as_patterns_and_a_song_that_names_them()
    {
        await TwoPatternsAsync();
        var a = PatternFactory.Create(4, 7, "Intro") with { Bpm = 100 };
        var b = PatternFactory.Create(5, 8, "Drop") with { Bpm = 128 };
        var bundle = SongBundle.Pack(new Song("Imported", new EquatableArray<SongSection>([new SongSection("x:a", 2), new SongSection("x:b", 8), new SongSection("x:a", 1)])),
            r => r == "x:a" ? a : b, out _)!;
        var imports = Services.GetRequiredService<PatternImports>();
        Assert.True(imports.Import("set.orbitr.song", Encoding.UTF8.GetBytes(SongJson.Write(bundle))));
        await WaitUntil(() => Songs.Songs.Any(s => s.Name == "Imported"));
        var song = Songs.Current!.Song;
        Assert.Equal("Imported", song.Name);
        Assert.Empty(song.Patterns.Items);
        Assert.Equal([(a, 2), (b, 8), (a, 1)], Songs.Parts(song)!.Select(p => (p.Pattern, p.Repeat)));
        Assert.All(song.Sections.Items, s => Assert.StartsWith(SongEntry.LibraryPrefix, s.Pattern));

        // Exported again, it is the same bundle.
        Assert.Equal(SongJson.Write(bundle).Replace("Imported", "Imported", StringComparison.Ordinal), SongJson.Write(Songs.Bundle(song, out _)!));

        // A song that names files cannot bring its patterns: an error, nothing added.
        var before = Songs.Songs.Count;
        Assert.False(imports.Import("files.song", Encoding.UTF8.GetBytes(SongJson.Write(SongEditor.Create("F", "file:a.json")))));
        Assert.Equal(before, Songs.Songs.Count);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
