using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Components;
using Orbitr.Web.Editing;
using Orbitr.Web.Startup;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26's lanes: each field's bar height, what a drag's height sets and what the keys step.</summary>
public class StepLaneTests
{
    [Fact]
    public void Velocity_spans_1_to_127_in_whole_units()
    {
        var lane = StepLane.Velocity;
        Assert.Equal(127, lane.AtPosition(new Step(), 1).Velocity);
        Assert.Equal(1, lane.AtPosition(new Step(), 0).Velocity);
        Assert.Equal(64, lane.AtPosition(new Step(), 0.5).Velocity);
        Assert.Equal(1, lane.Position(new Step(Velocity: 127)));
        Assert.Equal(101, lane.Nudge(new Step(), 1).Velocity);
        Assert.Equal(90, lane.Nudge(new Step(), -1, page: true).Velocity);
        Assert.Equal(127, lane.Nudge(new Step(Velocity: 125), 1, page: true).Velocity);
        Assert.Equal(1, lane.ToMin(new Step()).Velocity);
    }

    [Fact]
    public void Probability_is_in_percent_and_pitch_grows_from_the_middle()
    {
        Assert.Equal(0.25, StepLane.Probability.AtPosition(new Step(), 0.25).Probability);
        Assert.Equal("50 %", StepLane.Probability.Text(new Step(Probability: 0.5)));
        Assert.Equal(0.99, StepLane.Probability.Nudge(new Step(), -1).Probability, 9);
        Assert.Equal(0.5, StepLane.Pitch.Origin);
        Assert.Equal(0.5, StepLane.Pitch.Position(new Step()));
        Assert.Equal(12, StepLane.Pitch.AtPosition(new Step(), 0.75).Pitch);
        Assert.Equal(-24, StepLane.Pitch.AtPosition(new Step(), 0).Pitch);
        Assert.Equal("−3 st", StepLane.Pitch.Text(new Step { Pitch = -3 }));
        Assert.Equal(-11, StepLane.Pitch.Nudge(new Step { Pitch = -12 }, 1).Pitch);
    }

    [Fact]
    public void The_gate_is_logarithmic_and_its_top_is_the_whole_sample()
    {
        var lane = StepLane.Gate;
        Assert.Null(lane.AtPosition(new Step { Gate = 0.1 }, 1).Gate);
        Assert.Equal(1, lane.Position(new Step()));
        Assert.Equal("whole sample", lane.Text(new Step()));
        Assert.Equal(Step.MinGate, lane.AtPosition(new Step(), 0).Gate);
        var middle = lane.AtPosition(new Step(), 0.5).Gate!.Value;
        Assert.InRange(middle, 0.2, 0.25); // √(0.005 × 10) ≈ 0.22 s
        Assert.Equal("224 ms", lane.Text(new Step { Gate = 0.224 }));
        Assert.True(lane.Nudge(new Step(), -1).Gate < Step.MaxGate);
        Assert.Null(lane.ToMax(new Step { Gate = 0.3 }).Gate);
    }
}

/// <summary>Where a pointer on a lane lands, and the bars it passes between two moves.</summary>
public class LaneDragTests
{
    private static LaneDrag Drag() => new(new LaneRect { Left = 100, Top = 50, Width = 160, Height = 80 }, 16);

    [Fact]
    public void The_pointer_picks_the_bar_across_and_the_value_up_clamped_to_the_lane()
    {
        var d = Drag();
        Assert.Equal((0, 1.0), d.Hit(100, 50));
        Assert.Equal((15, 0.0), d.Hit(259.9, 130));
        Assert.Equal((3, 0.5), d.Hit(135, 90));
        Assert.Equal((0, 1.0), d.Hit(0, -40)); // outside: the nearest bar and end
        Assert.Equal((15, 0.0), d.Hit(900, 900));
    }

    [Fact]
    public void A_jump_across_bars_draws_the_line_between()
    {
        var d = Drag();
        Assert.Equal([(2, 1.0)], d.MoveTo(125, 50));
        Assert.Equal([(2, 0.5)], d.MoveTo(125, 90)); // the same bar
        var bars = d.MoveTo(165, 130); // bar 6, at the bottom
        Assert.Equal([3, 4, 5, 6], bars.Select(b => b.Step));
        Assert.Equal([0.375, 0.25, 0.125, 0.0], bars.Select(b => b.Position));
        Assert.Equal([5, 4], d.MoveTo(145, 130).Select(b => b.Step)); // and back the other way
    }
}

/// <summary>Issue 26: the lanes view of the selected ring: drag across a lane to draw values (one undo level), each bar
/// a slider with its value, the keys stepping it; the page's Rings/Lanes switch shows it.</summary>
public class StepLanesUiTests : AppTestContext
{
    private static PointerEventArgs At(double x, double y) => new() { Button = 0, Buttons = 1, PointerId = 1, ClientX = x, ClientY = y };

    private IRenderedComponent<Live<StepLanes>> Lanes()
    {
        // The lane's box as controls.js measures it: 16 bars of 10 px, 80 px high.
        JSInterop.SetupModule("./js/controls.js").Setup<LaneRect?>("captureLane", _ => true)
            .SetResult(new LaneRect { Left = 0, Top = 0, Width = 160, Height = 80 });
        return Render<Live<StepLanes>>();
    }

    private static string Lane(string name) => $"[data-lane={name}] .lane";

    [Fact]
    public void Every_step_is_a_slider_with_its_value_in_each_lane()
    {
        Store.Dispatch(p => PatternEditor.UpdateStep(p, 0, 2, s => s with { Active = true, Velocity = 42, Probability = 0.3, Pitch = 7, Gate = 0.5 }));
        var cut = Lanes();
        Assert.Equal(4, cut.FindAll(".lane-row").Count);
        Assert.Equal(64, cut.FindAll("[role=slider]").Count);
        var velocity = cut.Find("[aria-label='Velocity step 3']");
        Assert.Equal("42", velocity.GetAttribute("aria-valuenow"));
        Assert.Equal("1", velocity.GetAttribute("aria-valuemin"));
        Assert.Equal("127", velocity.GetAttribute("aria-valuemax"));
        Assert.Equal("30 %", cut.Find("[aria-label='Probability step 3']").GetAttribute("aria-valuetext"));
        Assert.Equal("+7 st", cut.Find("[aria-label='Pitch step 3']").GetAttribute("aria-valuetext"));
        Assert.Equal("500 ms", cut.Find("[aria-label='Gate step 3']").GetAttribute("aria-valuetext"));
        Assert.Equal("whole sample (step off)", cut.Find("[aria-label='Gate step 2']").GetAttribute("aria-valuetext"));
        Assert.Single(cut.FindAll("[data-lane=Velocity] [role=slider][tabindex='0']")); // one tab stop a lane
    }

    [Fact]
    public void Dragging_across_the_velocity_lane_draws_the_values_in_one_undo_level()
    {
        var cut = Lanes();
        var before = Store.Pattern;
        cut.Find(Lane("Velocity")).PointerDown(At(5, 0));       // bar 1 at the top
        cut.Find(Lane("Velocity")).PointerMove(At(35, 80));     // to bar 4 at the bottom, passing 2 and 3
        cut.Find(Lane("Velocity")).PointerUp(At(35, 80));
        var steps = Store.Pattern.Tracks[0].Steps;
        Assert.Equal([127, 85, 43, 1], steps.Items.Take(4).Select(s => s.Velocity));
        Assert.Equal(before.Tracks[0].Steps.Items.Skip(4), steps.Items.Skip(4));
        Assert.Equal("43", cut.Find("[aria-label='Velocity step 3']").GetAttribute("aria-valuenow"));
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
        // Once let go, moving over the lane draws nothing (and is not listened to).
        Assert.Throws<MissingEventHandlerException>(() => cut.Find(Lane("Velocity")).PointerMove(At(50, 0)));
    }

    [Fact]
    public void The_gate_lane_at_its_top_plays_the_whole_sample_and_pitch_below_the_middle_is_down()
    {
        Store.Dispatch(p => PatternEditor.UpdateStep(p, 0, 0, s => s with { Gate = 0.1 }));
        var cut = Lanes();
        cut.Find(Lane("Gate")).PointerDown(At(5, 0));
        cut.Find(Lane("Gate")).PointerUp(At(5, 0));
        Assert.Null(Store.Pattern.Tracks[0].Steps[0].Gate);
        cut.Find(Lane("Pitch")).PointerDown(At(15, 60));
        cut.Find(Lane("Pitch")).PointerUp(At(15, 60));
        Assert.Equal(-12, Store.Pattern.Tracks[0].Steps[1].Pitch);
    }

    [Fact]
    public void Arrow_keys_step_a_bar_and_move_to_the_next()
    {
        var cut = Lanes();
        var bar = cut.Find("[aria-label='Velocity step 1']");
        var velocity = Store.Pattern.Tracks[0].Steps[0].Velocity;
        bar.KeyDown(new KeyboardEventArgs { Key = "ArrowUp" });
        Assert.Equal(velocity + 1, Store.Pattern.Tracks[0].Steps[0].Velocity);
        cut.Find("[aria-label='Velocity step 1']").KeyDown(new KeyboardEventArgs { Key = "PageDown" });
        Assert.Equal(velocity - 9, Store.Pattern.Tracks[0].Steps[0].Velocity);
        cut.Find("[aria-label='Probability step 1']").KeyDown(new KeyboardEventArgs { Key = "Home" });
        Assert.Equal(0, Store.Pattern.Tracks[0].Steps[0].Probability);
        cut.Find("[aria-label='Velocity step 1']").KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[aria-label='Velocity step 2']").GetAttribute("tabindex")));
        Assert.Equal("-1", cut.Find("[aria-label='Velocity step 1']").GetAttribute("tabindex"));
        Store.Undo();
        Assert.Equal(velocity - 9, Store.Pattern.Tracks[0].Steps[0].Velocity); // each key its own level
    }

    [Fact]
    public async Task The_pages_lanes_switch_shows_the_selected_rings_lanes_instead_of_the_rings()
    {
        var cut = Render<OrbitrApp>();
        cut.WaitForState(() => Services.GetRequiredService<AppStartup>().Ready, TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("section.step-lanes"));
        cut.Find(".view-switch button:contains('Lanes')").Click();
        cut.WaitForAssertion(() => Assert.Contains("ring 1", cut.Find("section.step-lanes h2").TextContent));
        Assert.Contains("lanes-view", cut.Find("section.rings").GetAttribute("class"));
        Assert.Equal("true", cut.Find(".view-switch button:contains('Lanes')").GetAttribute("aria-pressed"));
        await cut.InvokeAsync(() => Store.SelectTrack(2));
        cut.WaitForAssertion(() => Assert.Contains("ring 3", cut.Find("section.step-lanes h2").TextContent));
        cut.Find(".view-switch button:contains('Rings')").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("section.step-lanes")));
    }
}
