using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Editing;
using Orbitr.Web.Shortcuts;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26's keys for editing by hand: Ctrl/⌘+C, X, V, D on the selected steps (one undo level each, the
/// pasted steps selected), Alt+1…8 selects a ring, M and S mute and solo it, Shift+C clears the pattern (undoable).</summary>
public class HandEditingKeyTests : AppTestContext
{
    private KeyboardShortcuts Keys => Services.GetRequiredService<KeyboardShortcuts>();

    private void Seed()
    {
        Store.Dispatch(p => PatternEditor.UpdateStep(p, 0, 2, s => s with { Active = true, Velocity = 33, Probability = 0.25, Timing = 7, Pitch = -5 }));
        Store.Dispatch(p => PatternEditor.UpdateStep(p, 1, 3, s => s with { Active = true, Ratchet = 4 }));
        Store.Select(new StepAddress(0, 2), additive: false);
        Store.Select(new StepAddress(1, 3), additive: true);
    }

    [Fact]
    public async Task Copy_and_paste_write_every_field_from_the_focused_step_in_one_undo_level()
    {
        Seed();
        var copied = (Store.Pattern.Tracks[0].Steps[2], Store.Pattern.Tracks[1].Steps[3]);
        await Keys.OnKey("c", false, true, -1, -1);
        Assert.NotNull(JSInterop.Invocations["writeText"].Single().Arguments[0] as string); // the system clipboard too
        Store.Select(new StepAddress(2, 15), additive: false);
        var before = Store.Pattern;
        await Keys.OnKey("v", false, true, -1, -1); // the system clipboard answers nothing here: this page's copy
        Assert.Equal(copied.Item1, Store.Pattern.Tracks[2].Steps[15]);
        Assert.Equal(copied.Item2, Store.Pattern.Tracks[3].Steps[0]); // one ring down, one step on (wrapped)
        Assert.Equal([new StepAddress(2, 15), new StepAddress(3, 0)], Store.Selection.OrderBy(a => a.Track));
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public async Task Cut_clears_the_steps_and_duplicate_repeats_them_after_themselves()
    {
        Seed();
        var seeded = Store.Pattern;
        await Keys.OnKey("x", false, true, -1, -1);
        Assert.Equal(new Step(), Store.Pattern.Tracks[0].Steps[2]);
        Assert.Equal(new Step(), Store.Pattern.Tracks[1].Steps[3]);
        Store.Undo();
        Assert.Equal(seeded, Store.Pattern);

        Store.Select(new StepAddress(0, 2), additive: false);
        Store.Select(new StepAddress(1, 3), additive: true);
        await Keys.OnKey("d", false, true, -1, -1); // the clip spans steps 3–4: the copy starts at step 5
        Assert.Equal(seeded.Tracks[0].Steps[2], Store.Pattern.Tracks[0].Steps[4]);
        Assert.Equal(seeded.Tracks[1].Steps[3], Store.Pattern.Tracks[1].Steps[5]);
    }

    [Fact]
    public async Task Nothing_selected_copies_nothing_and_says_so()
    {
        Store.ClearSelection();
        var before = Store.Pattern;
        await Keys.OnKey("c", false, true, -1, -1);
        await Keys.OnKey("v", false, true, -1, -1);
        Assert.Same(before, Store.Pattern);
        Assert.Contains(Services.GetRequiredService<Notices>().Items, n => n.Title.StartsWith("Select steps to copy", StringComparison.Ordinal));
        Assert.Null(Services.GetRequiredService<StepCopyPaste>().Clip);
    }

    [Fact]
    public async Task Ring_keys_mute_solo_and_clearing_the_pattern()
    {
        await Keys.OnKey("ring-3", false, false, -1, -1);
        Assert.Equal(2, Store.SelectedTrack);
        await Keys.OnKey("ring-8", false, false, -1, -1); // no eighth ring: nothing changes
        Assert.Equal(2, Store.SelectedTrack);
        await Keys.OnKey("m", false, false, -1, -1);
        Assert.True(Store.Pattern.Tracks[2].Mute);
        await Keys.OnKey("m", false, false, -1, -1);
        Assert.False(Store.Pattern.Tracks[2].Mute);
        await Keys.OnKey("s", false, false, -1, -1);
        Assert.True(Store.Pattern.Tracks[2].Solo);

        var before = Store.Pattern;
        Assert.Contains(before.Tracks.SelectMany(t => t.Steps), s => s.Active);
        await Keys.OnKey("c", true, false, -1, -1);
        Assert.DoesNotContain(Store.Pattern.Tracks.SelectMany(t => t.Steps), s => s.Active);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }
}
