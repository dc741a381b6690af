using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Orbitr.Core.Editing;
using Orbitr.Web.Components;
using Orbitr.Web.Editing;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Issue 26: what a press on a step switched on becomes: a click, a paint or a velocity drag.</summary>
public class VelocityDragTests
{
    private static readonly StepAddress At = new(1, 4);

    [Fact]
    public void Less_than_four_px_is_still_a_click_whichever_way()
    {
        var d = new VelocityDrag(At, 80, 100, 100);
        Assert.Equal(VelocityDragKind.Undecided, d.Move(103, 97));
        Assert.Equal(VelocityDragKind.Undecided, d.Move(100, 103.9));
        Assert.Equal(80, d.Velocity);
        Assert.Equal(VelocityDragKind.Undecided, d.Enter(At)); // its own step again
    }

    [Fact]
    public void Up_is_louder_and_down_softer_one_velocity_a_pixel_within_1_to_127()
    {
        var d = new VelocityDrag(At, 80, 100, 100);
        Assert.Equal(VelocityDragKind.Velocity, d.Move(101, 94)); // 6 px up
        Assert.Equal(86, d.Velocity);
        d.Move(130, 130); // once a velocity drag, sideways does not make it a paint
        Assert.Equal(VelocityDragKind.Velocity, d.Kind);
        Assert.Equal(50, d.Velocity);
        Assert.Equal(VelocityDragKind.Velocity, d.Enter(new StepAddress(1, 5)));
        d.Move(100, 500);
        Assert.Equal(1, d.Velocity); // never silent
        d.Move(100, -500);
        Assert.Equal(127, d.Velocity);
    }

    [Fact]
    public void Sideways_or_into_another_step_first_is_a_paint()
    {
        var sideways = new VelocityDrag(At, 80, 100, 100);
        Assert.Equal(VelocityDragKind.Paint, sideways.Move(106, 103));
        Assert.Equal(VelocityDragKind.Paint, sideways.Move(106, 60)); // decided: it stays a paint
        Assert.Equal(80, sideways.Velocity);

        var across = new VelocityDrag(At, 80, 100, 100);
        Assert.Equal(VelocityDragKind.Paint, across.Enter(new StepAddress(1, 5)));
    }

    [Fact]
    public void A_step_at_velocity_0_starts_from_1()
    {
        var d = new VelocityDrag(At, 0, 0, 0);
        Assert.Equal(1, d.StartVelocity);
        d.Move(0, -10);
        Assert.Equal(11, d.Velocity);
    }
}

/// <summary>Issue 26 on the rings: dragging up or down on a step switched on sets its velocity (shown while dragging,
/// one undo level a drag); a click still toggles and a drag across steps still paints.</summary>
public class VelocityPaintUiTests : AppTestContext
{
    private static PointerEventArgs Press(double x, double y) => new() { Button = 0, Buttons = 1, ClientX = x, ClientY = y };

    private IRenderedComponent<Live<Sequencer>> Rings(int velocity)
    {
        Store.Dispatch(p => PatternEditor.UpdateStep(p, 3, 2, s => s with { Active = true, Velocity = velocity }));
        Store.EndGesture();
        return Render<Live<Sequencer>>();
    }

    [Fact]
    public void Dragging_up_on_a_step_sets_its_velocity_live_and_is_one_undo_level()
    {
        var cut = Rings(60);
        var before = Store.Pattern;
        cut.Find("#step-3-2").PointerDown(Press(200, 300));
        cut.Find("svg.sequencer").PointerMove(Press(201, 290));
        Assert.Equal(70, Store.Pattern.Tracks[3].Steps[2].Velocity);
        Assert.Equal("70", cut.Find(".velocity-readout text").TextContent);
        cut.Find("svg.sequencer").PointerMove(Press(203, 265));
        Assert.Equal("95", cut.Find(".velocity-readout text").TextContent);
        cut.Find("svg.sequencer").PointerUp(Press(203, 265));
        var step = Store.Pattern.Tracks[3].Steps[2];
        Assert.True(step.Active);
        Assert.Equal(95, step.Velocity);
        Assert.Equal([new StepAddress(3, 2)], Store.Selection); // the step editor shows it
        Assert.Empty(cut.FindAll(".velocity-readout"));

        // A second drag is a level of its own.
        cut.Find("#step-3-2").PointerDown(Press(200, 300));
        cut.Find("svg.sequencer").PointerMove(Press(200, 400));
        cut.Find("svg.sequencer").PointerUp(Press(200, 400));
        Assert.Equal(1, Store.Pattern.Tracks[3].Steps[2].Velocity);
        Store.Undo();
        Assert.Equal(95, Store.Pattern.Tracks[3].Steps[2].Velocity);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public void A_click_without_moving_still_switches_the_step_off_in_one_undo_level()
    {
        var cut = Rings(60);
        var before = Store.Pattern;
        cut.Find("#step-3-2").PointerDown(Press(200, 300));
        cut.Find("svg.sequencer").PointerMove(Press(202, 297)); // a shaky hand: under 4 px
        Assert.True(Store.Pattern.Tracks[3].Steps[2].Active);    // nothing yet
        cut.Find("svg.sequencer").PointerUp(Press(202, 297));
        Assert.False(Store.Pattern.Tracks[3].Steps[2].Active);
        Assert.Equal(60, Store.Pattern.Tracks[3].Steps[2].Velocity);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public void A_drag_across_steps_from_a_step_switched_on_paints_them_off_as_before()
    {
        var cut = Rings(60);
        Store.Dispatch(p => PatternEditor.SetStepActive(p, 3, 3, true));
        var before = Store.Pattern;
        cut.Find("#step-3-2").PointerDown(Press(200, 300));
        cut.Find("#step-3-3").PointerEnter(Press(220, 302));
        cut.Find("#step-3-4").PointerEnter(Press(240, 305));
        cut.Find("svg.sequencer").PointerUp(Press(240, 305));
        Assert.All(new[] { 2, 3, 4 }, s => Assert.False(Store.Pattern.Tracks[3].Steps[s].Active));
        Assert.Equal(60, Store.Pattern.Tracks[3].Steps[2].Velocity);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);

        // Sideways first, before reaching the next step: a paint too.
        cut.Find("#step-3-2").PointerDown(Press(200, 300));
        cut.Find("svg.sequencer").PointerMove(Press(208, 301));
        Assert.False(Store.Pattern.Tracks[3].Steps[2].Active);
        cut.Find("svg.sequencer").PointerUp(Press(208, 301));
        Assert.False(Store.Pattern.Tracks[3].Steps[2].Active); // not toggled back on by the release
    }

    [Fact]
    public void Leaving_the_rings_ends_a_velocity_drag_where_it_got_to()
    {
        var cut = Rings(100);
        cut.Find("#step-3-2").PointerDown(Press(200, 300));
        cut.Find("svg.sequencer").PointerMove(Press(200, 280));
        cut.Find("svg.sequencer").PointerLeave(Press(200, 280));
        Assert.Equal(120, Store.Pattern.Tracks[3].Steps[2].Velocity);
        Assert.True(Store.Pattern.Tracks[3].Steps[2].Active);
        // No drag any more: the rings stop listening to moves (a hover must not re-render them).
        Assert.Throws<MissingEventHandlerException>(() => cut.Find("svg.sequencer").PointerMove(Press(200, 200)));
        Assert.Equal(120, Store.Pattern.Tracks[3].Steps[2].Velocity);
    }
}
