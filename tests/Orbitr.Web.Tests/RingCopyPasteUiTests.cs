using Bunit;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Components;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26: Copy ring and Paste ring in the ring's panel: the steps and sound go onto the selected ring, which
/// keeps its length (or takes the copy's) and its mix; the system clipboard's ring (another tab's) comes first.</summary>
public class RingCopyPasteUiTests : AppTestContext
{
    [Fact]
    public void Copy_ring_then_paste_onto_another_ring_keeps_its_length_and_mix_in_one_undo_level()
    {
        Store.Dispatch(p => PatternEditor.UpdateStep(p, 0, 1, s => s with { Active = true, Velocity = 44, Pitch = 5 }));
        Store.Dispatch(p => PatternEditor.SetTrackLength(p, 2, 8));
        Store.Dispatch(p => PatternEditor.SetTrackVolume(p, 2, 0.3));
        var cut = Render<Live<TrackDetail>>(); // ring 1
        cut.Find("button:contains('Copy ring')").Click();
        Assert.Contains("writeText", JSInterop.Invocations.Select(i => i.Identifier)); // to the system clipboard too
        Assert.Contains("Copied", cut.Find(".hint[role=status]").TextContent);
        var kick = Store.Pattern.Tracks[0];

        cut.InvokeAsync(() => Store.SelectTrack(2));
        var before = Store.Pattern;
        cut.WaitForAssertion(() => Assert.Contains("Track 3", cut.Find("h3").TextContent));
        cut.Find("button:contains('Paste ring')").Click();
        cut.WaitForAssertion(() => Assert.Equal(kick.Steps.Items.Take(8), Store.Pattern.Tracks[2].Steps.Items));
        var ring = Store.Pattern.Tracks[2];
        Assert.Equal(kick.Sample, ring.Sample);
        Assert.Equal(0.3, ring.Volume);
        Assert.Equal(before.Tracks[2].Name, ring.Name);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);

        cut.Find("input[aria-label='Paste takes the copied length']").Change(true);
        cut.Find("button:contains('Paste ring')").Click();
        cut.WaitForAssertion(() => Assert.Equal(16, Store.Pattern.Tracks[2].Steps.Count));
        Assert.Equal(kick.Steps, Store.Pattern.Tracks[2].Steps);
    }

    [Fact]
    public void A_ring_on_the_system_clipboard_another_tabs_copy_is_pasted()
    {
        var other = PatternEditor.UpdateStep(PatternFactory.Create(4, seed: 3), 1, 5, s => s with { Active = true, Velocity = 12, Probability = 0.5 });
        JSInterop.SetupModule("./js/clipboard.js").Setup<string?>("readText").SetResult(RingClipboard.ToJson(RingClipboard.Copy(other, 1)));
        var cut = Render<Live<TrackDetail>>();
        cut.Find("button:contains('Paste ring')").Click();
        cut.WaitForAssertion(() => Assert.Equal(other.Tracks[1].Steps[5], Store.Pattern.Tracks[0].Steps[5]));
        Assert.Equal(other.Tracks[1].Steps, Store.Pattern.Tracks[0].Steps);
    }

    [Fact]
    public void With_no_ring_copied_and_other_text_on_the_clipboard_paste_says_so_and_changes_nothing()
    {
        JSInterop.SetupModule("./js/clipboard.js").Setup<string?>("readText").SetResult("not a ring");
        var cut = Render<Live<TrackDetail>>();
        var before = Store.Pattern;
        cut.Find("button:contains('Paste ring')").Click();
        cut.WaitForAssertion(() => Assert.Contains(Services.GetService<Orbitr.Web.State.Notices>()!.Items, n => n.Title.StartsWith("Nothing to paste", StringComparison.Ordinal)));
        Assert.Same(before, Store.Pattern);
    }
}
