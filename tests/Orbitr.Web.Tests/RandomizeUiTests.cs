using Bunit;
using Orbitr.Web.Components;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26: the selected ring's Randomize (with its density) and Humanize (± ms, ± velocity) buttons change
/// that ring only, each one undo level.</summary>
public class RandomizeUiTests : AppTestContext
{
    [Fact]
    public void Randomize_and_humanize_change_the_ring_in_one_undo_level_each()
    {
        var cut = Render<Live<TrackDetail>>(); // ring 1, the starter groove's kick
        var before = Store.Pattern;
        cut.Find("input[aria-label='Randomize density (%)']").Change("100");
        cut.Find("button:contains('Randomize')").Click();
        Assert.All(Store.Pattern.Tracks[0].Steps.Items, s => Assert.True(s.Active));
        Assert.Equal(before.Tracks.Items.Skip(1), Store.Pattern.Tracks.Items.Skip(1));
        var randomized = Store.Pattern;

        cut.Find("input[aria-label='Humanize ± ms']").Change("20");
        cut.Find("input[aria-label='Humanize ± vel']").Change("0");
        cut.Find("button:contains('Humanize')").Click();
        var steps = Store.Pattern.Tracks[0].Steps.Items;
        Assert.Contains(steps, s => s.Timing != 0);
        Assert.All(steps, s => Assert.InRange(s.Timing, -20.05, 20.05));
        Assert.Equal(randomized.Tracks[0].Steps.Items.Select(s => s.Velocity), steps.Select(s => s.Velocity)); // ± 0 velocity
        Store.Undo();
        Assert.Equal(randomized, Store.Pattern);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }
}
