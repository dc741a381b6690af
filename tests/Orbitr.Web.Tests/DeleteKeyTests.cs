using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Components;
using Orbitr.Web.Shortcuts;
using Orbitr.Web.Startup;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Issue 23: Delete (and Backspace) clears the selected steps — off, with their settings gone — in one undo
/// level; with nothing selected it changes nothing.</summary>
public class DeleteKeyTests : AppTestContext
{
    [Theory]
    [InlineData("Delete")]
    [InlineData("Backspace")]
    public async Task Delete_clears_the_selected_steps_in_one_undo_level(string key)
    {
        var cut = Render<OrbitrApp>();
        cut.WaitForState(() => Services.GetRequiredService<AppStartup>().Ready, TimeSpan.FromSeconds(10));
        var store = Services.GetRequiredService<PatternState>();
        var keys = Services.GetRequiredService<KeyboardShortcuts>();
        await cut.InvokeAsync(() =>
        {
            store.Dispatch(p => PatternEditor.UpdateStep(p, 0, 3, s => s with { Active = true, Velocity = 40, Probability = 0.5 }));
            store.Dispatch(p => PatternEditor.SetStepActive(p, 1, 5, true));
            store.Dispatch(p => PatternEditor.SetStepActive(p, 2, 7, true));
            store.Select(new StepAddress(0, 3), additive: false);
            store.Select(new StepAddress(1, 5), additive: true);
        });
        var before = store.Pattern;

        await cut.InvokeAsync(() => keys.OnKey(key, false, false, -1, -1));

        Assert.Equal(new Step(), store.Pattern.Tracks[0].Steps[3]);
        Assert.Equal(new Step(), store.Pattern.Tracks[1].Steps[5]);
        Assert.True(store.Pattern.Tracks[2].Steps[7].Active); // not selected: kept
        await cut.InvokeAsync(() => store.Undo());
        Assert.Equal(before, store.Pattern);
    }

    [Fact]
    public async Task Delete_with_nothing_selected_changes_nothing()
    {
        var cut = Render<OrbitrApp>();
        cut.WaitForState(() => Services.GetRequiredService<AppStartup>().Ready, TimeSpan.FromSeconds(10));
        var store = Services.GetRequiredService<PatternState>();
        await cut.InvokeAsync(() => store.ClearSelection());
        var before = store.Pattern;
        var couldUndo = store.CanUndo;
        await cut.InvokeAsync(() => Services.GetRequiredService<KeyboardShortcuts>().OnKey("Delete", false, false, -1, -1));
        Assert.Same(before, store.Pattern);
        Assert.Equal(couldUndo, store.CanUndo);
    }
}
