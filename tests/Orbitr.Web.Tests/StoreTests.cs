using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

public class StoreTests
{
    private static PatternState NewStore() => new(PatternFactory.Create(6, seed: 1));

    [Fact]
    public void Undo_and_redo_walk_back_and_forth_through_edits()
    {
        var store = NewStore();
        var start = store.Pattern;
        store.Dispatch(p => PatternEditor.ToggleStep(p, 0, 0));
        var one = store.Pattern;
        store.Dispatch(p => PatternEditor.SetBpm(p, 90));
        Assert.True(store.Undo());
        Assert.Equal(one, store.Pattern);
        Assert.True(store.Undo());
        Assert.Equal(start, store.Pattern);
        Assert.False(store.Undo());
        Assert.True(store.Redo());
        Assert.True(store.Redo());
        Assert.Equal(90, store.Pattern.Bpm);
        Assert.False(store.Redo());
    }

    [Fact]
    public void At_least_a_hundred_undo_levels_are_kept_and_the_oldest_are_dropped_past_the_limit()
    {
        var store = NewStore();
        var start = store.Pattern;
        for (var i = 0; i < 150; i++) store.Dispatch(p => PatternEditor.SetBpm(p, 41 + i));
        for (var i = 0; i < 150; i++) Assert.True(store.Undo(), $"undo {i + 1}");
        Assert.Equal(start, store.Pattern);

        var small = new PatternState(start, undoLimit: 100);
        for (var i = 0; i < 120; i++) small.Dispatch(p => PatternEditor.SetBpm(p, 41 + i));
        var undone = 0;
        while (small.Undo()) undone++;
        Assert.Equal(100, undone);
        Assert.Equal(41 + 19, small.Pattern.Bpm);
    }

    [Fact]
    public void Dragging_a_slider_is_one_undo_level()
    {
        var store = NewStore();
        foreach (var v in new[] { 0.1, 0.3, 0.5, 0.8 }) store.Dispatch(p => PatternEditor.SetTrackVolume(p, 2, v), "vol2");
        store.EndGesture();
        store.Dispatch(p => PatternEditor.SetTrackVolume(p, 2, 0.05), "vol2");
        Assert.Equal(2, store.UndoDepth);
        store.Undo();
        Assert.Equal(0.8, store.Pattern.Tracks[2].Volume, 6);
        store.Undo();
        Assert.Equal(Track.DefaultVolume, store.Pattern.Tracks[2].Volume);
    }

    [Fact]
    public void A_new_edit_forgets_redo_and_an_edit_that_changes_nothing_adds_no_level()
    {
        var store = NewStore();
        store.Dispatch(p => PatternEditor.ToggleStep(p, 0, 1));
        store.Undo();
        Assert.True(store.CanRedo);
        store.Dispatch(p => PatternEditor.ToggleStep(p, 0, 2));
        Assert.False(store.CanRedo);
        store.Dispatch(p => PatternEditor.SetBpm(p, p.Bpm));
        Assert.Equal(1, store.UndoDepth);
    }

    [Fact]
    public void Selection_keeps_only_steps_that_still_exist()
    {
        var store = NewStore();
        store.Select(new StepAddress(5, 3), additive: false);
        store.Select(new StepAddress(0, 15), additive: true);
        Assert.Equal(2, store.Selection.Count);
        store.Dispatch(p => PatternEditor.RemoveTrack(p, 5));
        Assert.Equal([new StepAddress(0, 15)], store.Selection);
        store.Dispatch(p => PatternEditor.SetTrackLength(p, 0, 8));
        Assert.Empty(store.Selection);
        Assert.Null(store.FocusedStep);
        store.Undo();
        store.Select(new StepAddress(0, 15), additive: true);
        store.Select(new StepAddress(0, 15), additive: true); // shift-clicking again deselects
        Assert.Empty(store.Selection);
    }

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property Undoing_every_edit_returns_the_start_and_redoing_returns_the_end()
    {
        var edits = Gen.ListOf(Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 15))).ToArbitrary();
        return Prop.ForAll(edits, list =>
        {
            var store = NewStore();
            var start = store.Pattern;
            foreach (var (t, s) in list) store.Dispatch(p => PatternEditor.ToggleStep(p, t, s));
            var end = store.Pattern;
            while (store.Undo()) { }
            var back = store.Pattern.Equals(start);
            while (store.Redo()) { }
            return back && store.Pattern.Equals(end);
        });
    }

    [Fact]
    public void Tap_tempo_follows_the_taps_resets_after_a_pause_and_stays_in_range()
    {
        var tap = new TapTempo();
        Assert.Null(tap.Tap(10));
        Assert.Equal(120, tap.Tap(10.5));
        Assert.Equal(120, tap.Tap(11));
        Assert.Null(tap.Tap(20));         // a long pause starts over
        Assert.Equal(200, tap.Tap(20.1)); // 600 BPM is clamped
        var slow = new TapTempo();
        slow.Tap(0);
        Assert.Equal(40, slow.Tap(1.9));
    }

    [Theory]
    [InlineData(0, 15, "ArrowRight", 0, 0)]
    [InlineData(0, 0, "ArrowLeft", 0, 15)]
    [InlineData(1, 4, "ArrowUp", 0, 4)]
    [InlineData(0, 4, "ArrowUp", 0, 4)]
    [InlineData(0, 8, "ArrowDown", 1, 4)]   // ring 2 has 8 steps: half-way round stays half-way
    public void Arrow_keys_move_round_the_ring_and_between_rings_at_the_same_angle(int t, int s, string key, int et, int es)
    {
        var p = PatternEditor.SetTrackLength(PatternFactory.Create(4, seed: 1), 1, 8);
        if (key == "ArrowUp" && t == 1) p = PatternFactory.Create(4, seed: 1);
        Assert.Equal(new StepAddress(et, es), StepNavigation.Move(p, new StepAddress(t, s), key));
    }

    [Fact]
    public void Notices_show_a_code_once_until_dismissed()
    {
        var notices = new Notices();
        var a = notices.Error(4001, "full");
        notices.Error(4001, "full");
        Assert.Single(notices.Items);
        notices.DismissCode(4001);
        Assert.Empty(notices.Items);
        Assert.NotEqual(a.Id, notices.Error(4001, "full").Id);
    }
}

public class RewriteTests
{
    [Fact]
    public void A_rewrite_changes_the_pattern_and_its_history_without_an_undo_level()
    {
        var local = Orbitr.Core.Model.SampleRef.Local("abc", "my clap");
        var start = Orbitr.Core.Editing.PatternEditor.WithSample(Orbitr.Core.Model.PatternFactory.Create(4), local, out var key);
        start = Orbitr.Core.Editing.PatternEditor.SetTrackSample(start, 1, key);
        var store = new PatternState(start);
        store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetBpm(p, 99));
        store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetBpm(p, 101));
        store.Undo(); // one level to redo, one to undo

        var server = Orbitr.Core.Model.SampleRef.Generated("srv1");
        store.Rewrite(p => Orbitr.Core.Editing.PatternEditor.ReplaceSampleSource(p, local.Source, server));

        Assert.Equal(1, store.UndoDepth);
        Assert.Equal("generated:srv1", store.Pattern.FindSample(key)!.Source);
        Assert.Equal("my clap", store.Pattern.FindSample(key)!.Name); // the name the user knew stays
        store.Undo();
        Assert.Equal("generated:srv1", store.Pattern.FindSample(key)!.Source);
        store.Redo();
        store.Redo();
        Assert.Equal(101, store.Pattern.Bpm);
        Assert.Equal("generated:srv1", store.Pattern.FindSample(key)!.Source);
    }
}
