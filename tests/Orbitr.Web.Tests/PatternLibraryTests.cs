using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Components;
using Orbitr.Web.Patterns;

namespace Orbitr.Web.Tests;

/// <summary>The pattern library's pure parts: thumbnail geometry, order, names and undo-delete bookkeeping.</summary>
public class LibraryIndexTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static LibraryEntry Entry(string id, string name, int seconds) =>
        new(id, PatternFactory.Create(2, seed: 1, name: name), T0.AddSeconds(seconds));

    [Fact]
    public void Entries_are_sorted_newest_edit_first_and_an_edit_moves_an_entry_to_the_top()
    {
        var index = new LibraryIndex([Entry("a", "A", 1), Entry("b", "B", 3), Entry("c", "C", 2)]);
        Assert.Equal(["b", "c", "a"], index.Entries.Select(e => e.Id));
        index.Put(index.Find("a")!.With(PatternFactory.Create(3, seed: 1, name: "A"), T0.AddSeconds(9)));
        Assert.Equal(["a", "b", "c"], index.Entries.Select(e => e.Id));
        Assert.Equal(3, index.Find("a")!.Pattern.Tracks.Count);
    }

    [Fact]
    public void Equal_edit_times_are_ordered_by_name_then_id_so_the_list_never_flickers()
    {
        var index = new LibraryIndex([Entry("2", "Beat", 5), Entry("1", "Beat", 5), Entry("3", "Acid", 5)]);
        Assert.Equal(["3", "1", "2"], index.Entries.Select(e => e.Id));
    }

    [Fact]
    public void Stamps_always_increase_even_within_one_clock_tick_or_when_the_clock_goes_back()
    {
        var index = new LibraryIndex([Entry("a", "A", 10)]);
        var one = index.Stamp(T0);
        var two = index.Stamp(T0);
        Assert.True(one > T0.AddSeconds(10));
        Assert.True(two > one);
        Assert.Equal(T0.AddMinutes(1), index.Stamp(T0.AddMinutes(1)));
    }

    [Fact]
    public void A_deleted_entry_can_be_restored_in_its_place_until_the_window_passes_or_another_is_deleted()
    {
        var index = new LibraryIndex([Entry("a", "A", 1), Entry("b", "B", 2), Entry("c", "C", 3)]);
        Assert.NotNull(index.Delete("b", wasCurrent: true, T0));
        Assert.Equal(["c", "a"], index.Entries.Select(e => e.Id));
        Assert.False(index.Expire(T0 + LibraryIndex.UndoWindow - TimeSpan.FromSeconds(1)));
        var restored = index.Restore();
        Assert.True(restored!.WasCurrent);
        Assert.Equal(["c", "b", "a"], index.Entries.Select(e => e.Id));
        Assert.Null(index.Restore());

        index.Delete("a", false, T0);
        index.Delete("c", false, T0.AddSeconds(1));
        Assert.Equal("c", index.Deleted!.Entry.Id); // only the last deletion can be undone
        Assert.True(index.Expire(T0.AddSeconds(1) + LibraryIndex.UndoWindow));
        Assert.Null(index.Restore());
        Assert.Equal(["b"], index.Entries.Select(e => e.Id));
        Assert.Null(index.Delete("nope", false, T0));
    }

    [Fact]
    public void Copies_and_new_patterns_get_names_no_other_entry_has()
    {
        var index = new LibraryIndex([Entry("a", "Beat", 1), Entry("b", "Beat copy", 2), Entry("c", "Untitled", 3)]);
        Assert.Equal("Beat copy 2", index.CopyName("Beat"));
        Assert.Equal("Beat copy copy", index.CopyName("Beat copy"));
        Assert.Equal("Untitled 2", index.UniqueName("Untitled"));
        Assert.Equal("Fresh", index.UniqueName("Fresh"));
        var longName = new string('x', Pattern.MaxNameLength);
        Assert.Equal(Pattern.MaxNameLength, index.CopyName(longName).Length);
        Assert.EndsWith(" copy", index.CopyName(longName));
    }

    [Theory]
    [InlineData(20, "Edited just now")]
    [InlineData(5 * 60, "Edited 5 min ago")]
    [InlineData(3 * 3600 + 10, "Edited 3 h ago")]
    [InlineData(30 * 3600, "Edited yesterday")]
    [InlineData(3 * 86400, "Edited 3 days ago")]
    [InlineData(40 * 86400, "Edited 1 Mar 2025")]
    public void Edit_times_read_as_how_long_ago(int secondsAgo, string label) =>
        Assert.Equal(label, LibraryEntry.EditedLabel(T0, T0.AddSeconds(secondsAgo)));
}

public class RingThumbnailTests
{
    [Fact]
    public void Each_ring_is_a_circle_in_its_colour_and_each_active_step_a_dot_on_it()
    {
        var p = PatternFactory.Create(6, seed: 1);
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        p = PatternEditor.SetStepActive(p, 0, 4, true);
        p = PatternEditor.SetStepActive(p, 5, 8, true);
        p = PatternEditor.SetTrackMute(p, 2, true);
        var thumb = RingThumbnail.Of(p);

        Assert.Equal(p.Tracks.Select(t => t.Color), thumb.Rings.Select(r => r.Color));
        Assert.True(thumb.Rings.Zip(thumb.Rings.Skip(1)).All(x => x.First.Radius > x.Second.Radius)); // outside in
        Assert.False(thumb.Rings[2].Audible);
        Assert.Equal(3, thumb.Dots.Count);
        var (first, quarter, inner) = (thumb.Dots[0], thumb.Dots[1], thumb.Dots[2]);
        Assert.Equal((0, -thumb.Rings[0].Radius), (Math.Round(first.X, 9), Math.Round(first.Y, 9)));       // step 1 at twelve o'clock
        Assert.Equal((thumb.Rings[0].Radius, 0), (Math.Round(quarter.X, 9), Math.Round(quarter.Y, 9)));    // step 5 of 16 at three
        Assert.Equal(thumb.Rings[5].Radius, Math.Sqrt(inner.X * inner.X + inner.Y * inner.Y), 9);
        Assert.Equal(p.Tracks[5].Color, inner.Color);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 64)]
    [InlineData(4, 3)]
    public void Dots_stay_inside_the_view_box_and_visible_at_any_size(int tracks, int length)
    {
        var p = PatternEditor.SetLength(PatternFactory.Create(tracks, seed: 1), length);
        for (var t = 0; t < tracks; t++)
            for (var s = 0; s < length; s++) p = PatternEditor.SetStepActive(p, t, s, true);
        var thumb = RingThumbnail.Of(p);
        Assert.Equal(tracks * length, thumb.Dots.Count);
        Assert.All(thumb.Dots, d =>
        {
            Assert.InRange(d.Radius, RingThumbnail.MinDot, RingThumbnail.MaxDot);
            Assert.True(Math.Sqrt(d.X * d.X + d.Y * d.Y) + d.Radius <= 50);
        });
    }
}

/// <summary>The library's operations on the editor, in memory (bUnit's JS fakes: storage is not available).</summary>
public class PatternLibraryTests : AppTestContext
{
    private PatternLibrary Library => Services.GetRequiredService<PatternLibrary>();

    private async Task<PatternLibrary> RestoredAsync()
    {
        await Library.RestoreAsync();
        Store.PatternChanged += Library.OnPatternChanged; // as AppStartup wires it
        return Library;
    }

    [Fact]
    public async Task Opening_another_pattern_keeps_the_edits_of_the_one_left()
    {
        var library = await RestoredAsync();
        var first = library.CurrentId!;
        Store.Dispatch(p => PatternEditor.ToggleStep(p, 2, 2));
        await library.NewAsync();
        Assert.Equal(2, library.Entries.Count);
        var second = library.CurrentId!;
        Assert.NotEqual(first, second);
        Assert.False(Store.CanUndo); // a fresh history per pattern
        Store.Dispatch(p => PatternEditor.ToggleStep(p, 0, 1));
        await library.OpenAsync(first);
        Assert.True(Store.Pattern.Tracks[2].Steps[2].Active);
        Assert.False(Store.Pattern.Tracks[0].Steps[1].Active);
        Assert.Equal([second, first], library.Entries.Select(e => e.Id)); // opening is not an edit
        await library.OpenAsync(second);
        Assert.True(Store.Pattern.Tracks[0].Steps[1].Active);
    }

    [Fact]
    public async Task Save_as_copies_the_pattern_under_a_new_name_and_goes_on_editing_the_copy()
    {
        var library = await RestoredAsync();
        var original = library.CurrentId!;
        Store.Dispatch(p => PatternEditor.SetBpm(p, 99));
        await library.SaveAsAsync("  Night drive ");
        Assert.Equal("Night drive", Store.Pattern.Name);
        Assert.NotEqual(original, library.CurrentId);
        Store.Dispatch(p => PatternEditor.SetBpm(p, 140));
        Assert.Equal(["Night drive", "Untitled"], library.Entries.Select(e => e.Name));
        Assert.Equal(99, library.Entries.Single(e => e.Id == original).Pattern.Bpm);
        Assert.Equal(140, library.Entries[0].Pattern.Bpm);
    }

    [Fact]
    public async Task Rename_and_duplicate_work_on_any_entry_and_renaming_the_current_one_is_an_edit()
    {
        var library = await RestoredAsync();
        var first = library.CurrentId!;
        await library.NewAsync();
        await library.RenameAsync(first, "Groove");
        await library.DuplicateAsync(first);
        Assert.Equal(["Groove copy", "Groove", "Untitled 2"], library.Entries.Select(e => e.Name));
        Assert.Equal("Untitled 2", Store.Pattern.Name);
        await library.RenameAsync(library.CurrentId!, "Fresh");
        Assert.Equal("Fresh", Store.Pattern.Name);
        Assert.Equal("Fresh", library.Entries[0].Name);
        Store.Undo();
        Assert.Equal("Untitled 2", library.Entries[0].Name);
        await library.RenameAsync(first, "   ");
        Assert.Contains(library.Entries, e => e.Name == "Groove");
    }

    [Fact]
    public async Task Deleting_the_current_pattern_opens_the_latest_other_and_undo_brings_it_back_and_opens_it()
    {
        var library = await RestoredAsync();
        var first = library.CurrentId!;
        Store.Dispatch(p => PatternEditor.SetBpm(p, 101));
        await library.SaveAsAsync("Second");
        var second = library.CurrentId!;
        await library.DeleteAsync(second);
        Assert.Equal(first, library.CurrentId);
        Assert.Equal("Second", library.RecentlyDeleted!.Name);
        Assert.DoesNotContain(library.Entries, e => e.Id == second);
        await library.UndoDeleteAsync();
        Assert.Equal(second, library.CurrentId);
        Assert.Equal("Second", Store.Pattern.Name);
        Assert.Null(library.RecentlyDeleted);
        Assert.Equal(2, library.Entries.Count);
    }

    [Fact]
    public async Task Deleting_the_last_pattern_starts_a_new_one_which_undo_takes_away_again()
    {
        var library = await RestoredAsync();
        var only = library.CurrentId!;
        Store.Dispatch(p => PatternEditor.ToggleStep(p, 1, 1));
        var edited = Store.Pattern;
        await library.DeleteAsync(only);
        Assert.Single(library.Entries);
        Assert.NotEqual(only, library.CurrentId);
        Assert.Equal(96, Store.Pattern.Tracks.Sum(t => t.Steps.Count));
        Assert.DoesNotContain(Store.Pattern.Tracks.SelectMany(t => t.Steps), s => s.Active);
        await library.UndoDeleteAsync();
        Assert.Equal([only], library.Entries.Select(e => e.Id));
        Assert.Equal(edited, Store.Pattern);
    }

    [Fact]
    public async Task The_panel_lists_patterns_with_thumbnails_a_current_marker_and_named_actions()
    {
        var library = await RestoredAsync();
        await library.SaveAsAsync("Basic beat");
        var cut = Render<PatternLibraryPanel>();
        cut.Find("button.patterns-toggle").Click();
        var items = cut.FindAll(".pattern-list > li");
        Assert.Equal(2, items.Count);
        Assert.Equal("true", cut.Find("button.open[aria-current]").GetAttribute("aria-current"));
        Assert.Equal("Basic beat", cut.Find("button.open[aria-current]").TextContent.Trim());
        Assert.Equal(2, cut.FindAll("svg.thumb[aria-hidden=true]").Count);
        Assert.Equal(14, cut.FindAll(".pattern-list > li:first-child .thumb-dot").Count); // the starter groove: 4 + 2 + 8 steps
        Assert.NotNull(cut.Find("[aria-label='Rename Basic beat']"));
        cut.Find("[aria-label='Delete Basic beat']").Click();
        cut.WaitForAssertion(() => Assert.Contains("Deleted", cut.Find(".undo-delete").TextContent));
        cut.Find(".undo-delete button").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".pattern-list > li").Count));
    }
}

/// <summary>Issue 26 in the Patterns panel: Duplicate, Copy (the pattern's JSON to the system clipboard) and Paste
/// (clipboard JSON as a new pattern, and a visible error for any other text).</summary>
public class PatternLibraryClipboardTests : AppTestContext
{
    private PatternLibrary Library => Services.GetRequiredService<PatternLibrary>();

    private async Task<IRenderedComponent<PatternLibraryPanel>> PanelAsync()
    {
        await Library.RestoreAsync();
        Store.PatternChanged += Library.OnPatternChanged;
        Store.Dispatch(p => PatternEditor.SetName(p, "Groove"));
        var cut = Render<PatternLibraryPanel>();
        cut.Find("button.patterns-toggle").Click();
        return cut;
    }

    [Fact]
    public async Task Duplicate_adds_name_copy_and_copy_writes_the_patterns_json()
    {
        var cut = await PanelAsync();
        cut.Find("[aria-label='Duplicate Groove']").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Groove copy", "Groove"], cut.FindAll(".pattern-list button.open").Select(b => b.TextContent.Trim())));
        Assert.Equal("Groove", Store.Pattern.Name); // the editor stays where it was

        JSInterop.SetupModule("./js/clipboard.js").Setup<bool>("writeText", _ => true).SetResult(true);
        cut.Find("[aria-label='Copy Groove']").Click();
        var text = JSInterop.Invocations["writeText"].Single().Arguments[0] as string;
        Assert.Equal(Store.Pattern, Orbitr.Core.Json.PatternJson.Read(text!).Pattern);
        cut.WaitForAssertion(() => Assert.Contains("Copied “Groove”", cut.Find(".pattern-library [role=status]").TextContent));
    }

    [Fact]
    public async Task Paste_adds_the_clipboards_pattern_as_a_new_entry_without_opening_it()
    {
        var cut = await PanelAsync();
        var other = PatternEditor.SetBpm(PatternFactory.Create(5, seed: 2, name: "From tab two"), 133);
        JSInterop.SetupModule("./js/clipboard.js").Setup<string?>("readText").SetResult(Orbitr.Core.Json.PatternJson.Write(other));
        cut.Find("button:contains('Paste pattern')").Click();
        cut.WaitForAssertion(() => Assert.Equal(["From tab two", "Groove"], cut.FindAll(".pattern-list button.open").Select(b => b.TextContent.Trim())));
        var pasted = Library.Entries[0].Pattern;
        Assert.Equal(other, pasted);
        Assert.Equal("Groove", Store.Pattern.Name);
        Assert.Empty(cut.FindAll(".pattern-library [role=alert]"));
    }

    [Fact]
    public async Task Paste_of_a_pattern_already_there_names_it_a_copy()
    {
        var cut = await PanelAsync();
        JSInterop.SetupModule("./js/clipboard.js").Setup<string?>("readText").SetResult(Orbitr.Core.Json.PatternJson.Write(Store.Pattern));
        cut.Find("button:contains('Paste pattern')").Click();
        cut.WaitForAssertion(() => Assert.Equal(["Groove copy", "Groove"], cut.FindAll(".pattern-list button.open").Select(b => b.TextContent.Trim())));
    }

    [Theory]
    [InlineData("just some words")]
    [InlineData("""{"format":"orbitr.steps","version":1,"cells":[],"pattern":{}}""")]
    [InlineData("""{"bpm": 900}""")]
    public async Task Paste_of_text_that_is_no_pattern_shows_an_error_and_adds_nothing(string text)
    {
        var cut = await PanelAsync();
        JSInterop.SetupModule("./js/clipboard.js").Setup<string?>("readText").SetResult(text);
        cut.Find("button:contains('Paste pattern')").Click();
        cut.WaitForAssertion(() => Assert.Contains("does not hold an Orbitr pattern", cut.Find(".pattern-library [role=alert]").TextContent));
        Assert.Single(Library.Entries);
    }

    [Fact]
    public async Task Paste_says_so_when_the_clipboard_cannot_be_read()
    {
        var cut = await PanelAsync();
        JSInterop.SetupModule("./js/clipboard.js").Setup<string?>("readText").SetResult(null);
        cut.Find("button:contains('Paste pattern')").Click();
        cut.WaitForAssertion(() => Assert.Contains("could not be read", cut.Find(".pattern-library [role=alert]").TextContent));
        Assert.Single(Library.Entries);
    }
}
