using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Web.Components;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Components render the store and dispatch to it (bUnit; JS modules are bUnit's loose fakes).</summary>
public class ComponentTests : AppTestContext
{
    private static string StepName(int track, int step) => $"Track {track} step {step}";

    [Fact]
    public void Rings_show_every_step_as_a_named_pressed_or_unpressed_button()
    {
        var cut = Render<Live<Sequencer>>();
        var steps = cut.FindAll("[role=button][data-step]");
        Assert.Equal(96, steps.Count);
        Assert.Equal(StepName(1, 1), steps[0].GetAttribute("aria-label"));
        var pressed = steps.Where(s => s.GetAttribute("aria-pressed") == "true").Select(s => s.GetAttribute("aria-label")!).ToHashSet();
        var expected = new[] { (1, 1), (1, 5), (1, 9), (1, 13), (2, 5), (2, 13) }
            .Concat(Enumerable.Range(0, 8).Select(i => (4, 1 + 2 * i))).Select(x => StepName(x.Item1, x.Item2));
        Assert.Equal(expected.ToHashSet(), pressed);
        Assert.Single(cut.FindAll("[data-step][tabindex='0']")); // roving focus: one tab stop for the rings
    }

    [Fact]
    public void Pointer_down_toggles_and_selects_and_shift_adds_to_the_selection_without_toggling()
    {
        var cut = Render<Live<Sequencer>>();
        cut.Find("#step-2-1").PointerDown(new PointerEventArgs { Button = 0 });
        Assert.True(Store.Pattern.Tracks[2].Steps[1].Active);
        Assert.Equal([new StepAddress(2, 1)], Store.Selection);
        cut.Find("#step-2-3").PointerDown(new PointerEventArgs { Button = 0, ShiftKey = true });
        Assert.False(Store.Pattern.Tracks[2].Steps[3].Active);
        Assert.Equal(2, Store.Selection.Count);
        Assert.Contains("selected", cut.Find("#step-2-3").GetAttribute("class"));
    }

    [Fact]
    public void Painting_across_steps_is_one_undo_level()
    {
        var cut = Render<Live<Sequencer>>();
        cut.Find("#step-5-0").PointerDown(new PointerEventArgs { Button = 0 });
        cut.Find("#step-5-1").PointerEnter(new PointerEventArgs());
        cut.Find("#step-5-2").PointerEnter(new PointerEventArgs());
        cut.Find("svg").PointerUp(new PointerEventArgs());
        Assert.All(new[] { 0, 1, 2 }, s => Assert.True(Store.Pattern.Tracks[5].Steps[s].Active));
        Store.Undo();
        Assert.All(new[] { 0, 1, 2 }, s => Assert.False(Store.Pattern.Tracks[5].Steps[s].Active));
    }

    [Fact]
    public void Step_editor_appears_for_a_selection_and_edits_every_selected_step()
    {
        var cut = Render<Live<StepEditor>>();
        Assert.Empty(cut.FindAll("[aria-label=Velocity]"));
        Store.Select(new StepAddress(1, 0), additive: false);
        Store.Select(new StepAddress(1, 1), additive: true);
        cut.WaitForElement("[aria-label=Velocity]");
        Controls.Turn(cut, "Velocity", 33);
        Assert.Equal(33, Store.Pattern.Tracks[1].Steps[0].Velocity);
        Assert.Equal(33, Store.Pattern.Tracks[1].Steps[1].Velocity);
        Controls.Turn(cut, "Timing", -20);
        Assert.Equal(-20, Store.Pattern.Tracks[1].Steps[1].Timing);
        cut.Find("[aria-label='Filter type']").Change("highpass");
        Assert.Equal(FilterType.Highpass, Store.Pattern.Tracks[1].Steps[0].Effects?.Filter?.Type);
        cut.Find("[aria-label=Sample]").Change("builtin:cowbell");
        var key = Store.Pattern.Tracks[1].Steps[0].Sample;
        Assert.Equal(SampleRef.Builtin("cowbell"), Store.Pattern.FindSample(key!));
        Assert.Contains("2 steps", cut.Markup);
    }

    [Theory]
    [InlineData("99", 64, "from 1 to 64; set to 64")]
    [InlineData("0", 1, "from 1 to 64; set to 1")]
    [InlineData("7.6", 8, "from 1 to 64; set to 8")]
    [InlineData("many", 16, "from 1 to 64; it stays 16")]
    public void A_rings_steps_out_of_range_or_not_a_number_are_clamped_or_kept_and_the_field_says_its_range(string typed, int steps, string hint)
    {
        // Issue 23: the field kept an invalid 99 with no hint.
        var cut = Render<Live<TrackDetail>>();
        var field = cut.Find("input[aria-label$='steps']");
        Assert.Equal("1", field.GetAttribute("min"));
        Assert.Equal("64", field.GetAttribute("max"));
        field.Change(typed);
        Assert.Equal(steps, Store.Pattern.Tracks[0].Steps.Count);
        Assert.Contains(hint, cut.Find("[role=status]").TextContent);
        // The field shows the value in force (a new element when it would otherwise keep what was typed).
        Assert.Equal(steps.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("input[aria-label$='steps']").GetAttribute("value"));
        cut.Find("input[aria-label$='steps']").Change("12");
        Assert.Equal(12, Store.Pattern.Tracks[0].Steps.Count);
        Assert.Empty(cut.FindAll("[role=status]"));
    }

    [Theory]
    [InlineData("500", 200, "40 to 200")]
    [InlineData("12", 40, "40 to 200")]
    [InlineData("fast", 120, "a number from 40 to 200")]
    public void Bpm_out_of_range_or_not_a_number_is_clamped_or_kept_with_a_visible_hint(string typed, double bpm, string hint)
    {
        var cut = Render<Live<TransportBar>>();
        cut.Find("input[min='40']").Change(typed);
        Assert.Equal(bpm, Store.Pattern.Bpm);
        Assert.Contains(hint, cut.Find("[role=status]").TextContent);
    }

    [Fact]
    public void Track_controls_are_labelled_with_the_track_and_mute_solo_toggle()
    {
        var cut = Render<Live<TrackList>>();
        foreach (var control in new[] { "Volume", "Pan", "Mute", "Solo" })
            Assert.Equal(6, cut.FindAll($"[aria-label^='Track '][aria-label$=' {control}']").Count);
        var mute = cut.Find("[aria-label='Track 3 Mute']");
        Assert.Equal("false", mute.GetAttribute("aria-pressed"));
        mute.Click();
        Assert.True(Store.Pattern.Tracks[2].Mute);
        Assert.Equal("true", cut.Find("[aria-label='Track 3 Mute']").GetAttribute("aria-pressed"));
        cut.Find("[aria-label='Track 2 Volume']").Input("0.25");
        Assert.Equal(0.25, Store.Pattern.Tracks[1].Volume);
    }

    [Fact]
    public void Add_track_stops_at_eight_and_remove_track_at_four()
    {
        var cut = Render<Live<TrackList>>();
        var add = () => cut.FindAll("button").Single(b => b.TextContent == "Add track");
        var remove = () => cut.FindAll("button").Single(b => b.TextContent == "Remove track");
        add().Click();
        add().Click();
        Assert.Equal(8, Store.Pattern.Tracks.Count);
        Assert.True(add().HasAttribute("disabled"));
        for (var i = 0; i < 4; i++) remove().Click();
        Assert.Equal(4, Store.Pattern.Tracks.Count);
        Assert.True(remove().HasAttribute("disabled"));
    }

    [Fact]
    public void Undo_button_is_disabled_until_there_is_something_to_undo()
    {
        var cut = Render<Live<TransportBar>>();
        Assert.True(Button(cut, "Undo").HasAttribute("disabled"));
        Store.Dispatch(p => Core.Editing.PatternEditor.ToggleStep(p, 0, 3));
        cut.WaitForAssertion(() => Assert.False(Button(cut, "Undo").HasAttribute("disabled")));
        Button(cut, "Undo").Click();
        Assert.False(Store.Pattern.Tracks[0].Steps[3].Active);
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<Live<TransportBar>> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text || b.GetAttribute("aria-label") == text);

    [Fact]
    public void Errors_show_their_code_and_can_be_dismissed()
    {
        var cut = Render<NoticeArea>();
        Services.GetRequiredService<Notices>().Error(ErrorCodes.StoredDataCorrupted, "The saved pattern could not be read", "bpm: 500 is outside 40–200");
        cut.WaitForAssertion(() => Assert.Contains("Error 4002", cut.Find("[role=alert]").TextContent));
        Assert.Contains("bpm: 500", cut.Markup);
        cut.Find("[aria-label='Dismiss message']").Click();
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Fact]
    public void Importing_an_invalid_file_lists_errors_by_path_and_changes_nothing_while_a_valid_one_joins_the_library()
    {
        var imports = Services.GetRequiredService<Orbitr.Web.Files.PatternImports>();
        var before = Store.Pattern;
        Assert.False(imports.Import("bad.json", """{"format":"orbitr.pattern","version":1,"tracks":[{"steps":[{"velocity":300}]}]}"""u8.ToArray()));
        Assert.Equal(before, Store.Pattern);
        var notice = Services.GetRequiredService<Notices>().Items.Single();
        Assert.Contains(notice.Details, d => d.StartsWith("tracks[0].steps[0].velocity"));

        var imported = PatternFactory.Create(5, seed: 3, name: "Imported");
        Assert.True(imports.Import("good.json", PatternJson.WriteUtf8(imported)));
        Assert.Equal("Imported", Store.Pattern.Name);
        // The pattern being edited stays in the library: opening it brings it back.
        var library = Services.GetRequiredService<Orbitr.Web.Patterns.PatternLibrary>();
        Assert.Equal(["Imported", before.Name], library.Entries.Select(e => e.Name));
        Assert.Equal(library.Entries[0].Id, library.CurrentId);
        _ = library.OpenAsync(library.Entries[1].Id);
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public void A_midi_file_imports_as_a_pattern_orbitrs_own_exactly_and_a_bad_one_changes_nothing()
    {
        var imports = Services.GetRequiredService<Orbitr.Web.Files.PatternImports>();
        var notices = Services.GetRequiredService<Notices>();
        var library = Services.GetRequiredService<Orbitr.Web.Patterns.PatternLibrary>();
        var before = Store.Pattern;
        Assert.False(imports.Import("broken.mid", "MThd but nothing after"u8.ToArray()));
        Assert.Equal(before, Store.Pattern);
        Assert.Contains("not a Standard MIDI File", notices.Items.Single().Details.Single());
        Assert.True(notices.Items.Single().IsError);

        var mine = PatternFactory.Create(5, seed: 9, name: "Round trip") with { Swing = 100, Bpm = 133 };
        mine = Core.Editing.PatternEditor.EuclideanFill(mine, 2, 11);
        Assert.True(imports.Import("mine.mid", Core.Midi.MidiExport.ToBytes(mine, 2)));
        Assert.Equal(mine, Store.Pattern);
        Assert.Equal(2, library.Entries.Count);

        // Another tool's file: a kick on every beat of one bar at 96 ppq, 100 BPM, and a clave (reported).
        var events = new NAudio.Midi.MidiEventCollection(0, 96);
        var track = events.AddTrack();
        track.Add(new NAudio.Midi.TempoEvent(600_000, 0));
        foreach (var (tick, note) in new[] { (0, 36), (96, 36), (192, 36), (288, 36), (48, 75) })
        {
            var on = new NAudio.Midi.NoteOnEvent(tick, 10, note, 100, 10);
            track.Add(on);
            track.Add(on.OffEvent!);
        }
        track.Add(new NAudio.Midi.MetaEvent(NAudio.Midi.MetaEventType.EndTrack, 0, 384));
        events.PrepareForExport();
        using var ms = new MemoryStream();
        NAudio.Midi.MidiFile.Export(ms, events);
        Assert.True(imports.Import("groove.midi", ms.ToArray()));
        Assert.Equal("groove", Store.Pattern.Name);
        Assert.Equal(100, Store.Pattern.Bpm);
        Assert.Equal(4, Store.Pattern.Tracks[0].ActiveSteps);
        var info = notices.Items.Last();
        Assert.False(info.IsError);
        Assert.Contains("Claves (note 75) plays the kit's Rim", info.Details);
    }

    [Fact]
    public void A_song_bundle_imports_its_patterns_and_a_song_without_them_changes_nothing()
    {
        var imports = Services.GetRequiredService<Orbitr.Web.Files.PatternImports>();
        var notices = Services.GetRequiredService<Notices>();
        var library = Services.GetRequiredService<Orbitr.Web.Patterns.PatternLibrary>();
        var before = Store.Pattern;
        Assert.False(imports.Import("song.json", """{"format":"orbitr.song","version":1,"name":"S","sections":[{"pattern":"file:a.json"}]}"""u8.ToArray()));
        Assert.Equal(before, Store.Pattern);
        Assert.Contains("without its patterns", notices.Items.Single().Title);

        var a = PatternFactory.Create(4, seed: 1, name: "Verse");
        var b = PatternFactory.Create(5, seed: 2, name: "Chorus");
        var bundle = Core.Midi.MidiExport.Bundle([new(a, 4), new(b, 2), new(a, 1)], "Demo");
        Assert.True(imports.Import("demo.orbitr.song", System.Text.Encoding.UTF8.GetBytes(Core.Songs.SongJson.Write(bundle))));
        Assert.Equal(a, Store.Pattern); // the first is open
        Assert.Contains(library.Entries, e => e.Name == "Chorus");
        Assert.Equal(["section 1: Verse × 4", "section 2: Chorus × 2", "section 3: Verse × 1"], notices.Items.Last().Details);
    }

    [Fact]
    public void The_per_ring_midi_zip_holds_each_rings_file()
    {
        var p = Core.Editing.PatternEditor.EuclideanFill(PatternFactory.Create(5, seed: 3), 0, 4);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(Orbitr.Web.Files.PatternFiles.MidiRingsZip(p, 2)));
        Assert.Equal(Enumerable.Range(0, 5).Select(r => Core.Midi.MidiExport.RingFileName(p, r)), zip.Entries.Select(e => e.FullName));
        using var ms = new MemoryStream();
        zip.Entries[0].Open().CopyTo(ms);
        Assert.Equal(Core.Midi.MidiExport.RingToBytes(p, 2, 0), ms.ToArray());
        Assert.Equal(Orbitr.Web.Files.PatternFiles.MidiRingsZip(p, 2), Orbitr.Web.Files.PatternFiles.MidiRingsZip(p, 2)); // the same pattern, the same zip
    }

    [Fact]
    public void Rings_re_render_for_step_changes_but_not_for_a_volume_drag()
    {
        var cut = Render<Live<Sequencer>>();
        var renders = cut.FindComponent<Sequencer>().RenderCount;
        Store.Dispatch(p => Core.Editing.PatternEditor.SetTrackVolume(p, 0, 0.3), "vol0");
        Store.Dispatch(p => Core.Editing.PatternEditor.SetBpm(p, 99));
        Assert.Equal(renders, cut.FindComponent<Sequencer>().RenderCount);
        Store.Dispatch(p => Core.Editing.PatternEditor.ToggleStep(p, 0, 1));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#step-0-1").GetAttribute("aria-pressed")));
        Store.Dispatch(p => Core.Editing.PatternEditor.SetTrackMute(p, 0, true));
        cut.WaitForAssertion(() => Assert.Contains("silent", cut.Find("g.ring").GetAttribute("class")));
    }
}
