using Bunit;
using Orbitr.Core.Editing;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Web.Components;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>The zoomed ring for phones: its geometry keeps touch targets apart, and its buttons edit through the store
/// (presses as zoompaint.js reports them: a tap, a long press, a swipe; clicks as keys send them).</summary>
public class RingZoomTests : AppTestContext
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(16, true)]
    [InlineData(19, true)]
    [InlineData(20, false)]
    [InlineData(64, false)]
    public void Tracks_up_to_19_steps_fit_the_ring_and_longer_ones_become_a_grid(int length, bool ring) =>
        Assert.Equal(ring, ZoomLayout.FitsRing(length));

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(19)]
    public void Ring_buttons_stay_inside_the_box_and_apart_from_their_neighbours(int length)
    {
        Assert.True(ZoomLayout.FitsRing(length));
        var centres = Enumerable.Range(0, length)
            .Select(s => ZoomLayout.RingPosition(s, length))
            .Select(c => (X: c.Left / 100 * ZoomLayout.Box, Y: c.Top / 100 * ZoomLayout.Box))
            .ToList();
        var half = ZoomLayout.Button / 2;
        Assert.All(centres, c =>
        {
            Assert.InRange(c.X, half - 1e-9, ZoomLayout.Box - half + 1e-9);
            Assert.InRange(c.Y, half - 1e-9, ZoomLayout.Box - half + 1e-9);
        });
        Assert.Equal((50, 50 - 50 * ZoomLayout.RingRadius / (ZoomLayout.Box / 2)), ZoomLayout.RingPosition(0, length)); // step 1 at the top
        for (var i = 0; i < length; i++)
            for (var j = i + 1; j < length; j++)
            {
                var d = Math.Sqrt(Math.Pow(centres[i].X - centres[j].X, 2) + Math.Pow(centres[i].Y - centres[j].Y, 2));
                Assert.True(d >= ZoomLayout.Button + ZoomLayout.MinGap - 1e-9, $"steps {i} and {j} are {d:0.#} px apart");
            }
    }

    [Fact]
    public void Shows_the_selected_track_as_named_pressed_buttons_apart_from_the_ring_steps()
    {
        var cut = Render<Live<RingZoom>>();
        var steps = cut.FindAll("button[data-zoom-step]");
        Assert.Equal(16, steps.Count);
        Assert.Equal("Step 1 of track 1 (O), zoomed", steps[0].GetAttribute("aria-label"));
        Assert.Equal("true", steps[0].GetAttribute("aria-pressed")); // the starter groove's kick
        Assert.Equal("false", steps[1].GetAttribute("aria-pressed"));
        Assert.Empty(cut.FindAll("[data-step]")); // keys.js and the ring tests address ring steps only
        Assert.Contains("as-ring", cut.Find(".zoom-steps").GetAttribute("class"));
    }

    [Fact]
    public void The_steps_report_their_presses_through_zoompaint_js()
    {
        var cut = Render<Live<RingZoom>>();
        var attach = JSInterop.Invocations["attach"].Single();
        Assert.IsType<ElementReference>(attach.Arguments[0]);
        Assert.IsType<DotNetObjectReference<RingZoom>>(attach.Arguments[1]);
        Assert.Same(cut.FindComponent<RingZoom>().Instance, ((DotNetObjectReference<RingZoom>)attach.Arguments[1]!).Value);
    }

    [Fact]
    public async Task A_tap_toggles_the_step_and_selects_it_as_one_undo_level()
    {
        var cut = Render<Live<RingZoom>>();
        var zoom = cut.FindComponent<RingZoom>().Instance;
        await cut.InvokeAsync(() => { zoom.OnPaintStart(0, 2); zoom.OnPaintEnd(); });
        await cut.InvokeAsync(() => { zoom.OnPaintStart(0, 3); zoom.OnPaintEnd(); });
        Assert.True(Store.Pattern.Tracks[0].Steps[2].Active);
        Assert.True(Store.Pattern.Tracks[0].Steps[3].Active);
        Assert.Equal([new StepAddress(0, 3)], Store.Selection);
        cut.WaitForAssertion(() => Assert.Contains("selected", cut.Find("[data-zoom-step='3']").GetAttribute("class")));
        Store.Undo();
        Assert.False(Store.Pattern.Tracks[0].Steps[3].Active);
        Assert.True(Store.Pattern.Tracks[0].Steps[2].Active);
    }

    [Fact]
    public async Task A_long_press_selects_an_active_step_without_toggling_it()
    {
        var cut = Render<Live<RingZoom>>();
        var zoom = cut.FindComponent<RingZoom>().Instance;
        Assert.True(Store.Pattern.Tracks[0].Steps[0].Active); // the starter groove's kick
        await cut.InvokeAsync(() => zoom.OnHold(0, 0));
        Assert.True(Store.Pattern.Tracks[0].Steps[0].Active);
        Assert.False(Store.CanUndo);
        Assert.Equal([new StepAddress(0, 0)], Store.Selection);
        cut.WaitForAssertion(() => Assert.Contains("selected", cut.Find("[data-zoom-step='0']").GetAttribute("class")));
        Assert.Equal("true", cut.Find("[data-zoom-step='0']").GetAttribute("aria-pressed"));

        await cut.InvokeAsync(() => zoom.OnSelect(0, 5, additive: true)); // Shift+click adds, as on the rings
        Assert.Equal(2, Store.Selection.Count);
        Assert.False(Store.Pattern.Tracks[0].Steps[5].Active);
    }

    [Fact]
    public async Task A_swipe_paints_every_step_it_crosses_with_the_first_steps_value_as_one_undo_level()
    {
        Store.Dispatch(p => PatternEditor.SetStepActive(p, 0, 3, true));
        var before = Store.Pattern;
        var depth = Store.UndoDepth;
        var cut = Render<Live<RingZoom>>();
        var zoom = cut.FindComponent<RingZoom>().Instance;
        await cut.InvokeAsync(() =>
        {
            zoom.OnPaintStart(0, 1); // off, so on: every step crossed turns on, those already on stay on
            zoom.OnPaintOver(0, 2);
            zoom.OnPaintOver(0, 3);
            zoom.OnPaintOver(0, 4);
            zoom.OnPaintEnd();
        });
        Assert.All(new[] { 1, 2, 3, 4 }, s => Assert.True(Store.Pattern.Tracks[0].Steps[s].Active));
        cut.WaitForAssertion(() => Assert.All(new[] { 1, 2, 3, 4 },
            s => Assert.Equal("true", cut.Find($"[data-zoom-step='{s}']").GetAttribute("aria-pressed"))));
        Assert.Equal(depth + 1, Store.UndoDepth);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);

        await cut.InvokeAsync(() =>
        {
            zoom.OnPaintStart(0, 3); // on, so off
            zoom.OnPaintOver(0, 4);
            zoom.OnPaintOver(0, 99); // a step the track no longer has (a render behind): ignored
            zoom.OnPaintEnd();
            zoom.OnPaintOver(0, 5); // after the finger lifted: nothing
        });
        Assert.False(Store.Pattern.Tracks[0].Steps[3].Active);
        Assert.False(Store.Pattern.Tracks[0].Steps[5].Active);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public void A_click_without_a_press_toggles_the_step_as_one_undo_level_and_a_tab_switches_the_track()
    {
        // The keyboard's Enter and Space and assistive technology click a button without pressing it.
        var cut = Render<Live<RingZoom>>();
        cut.Find("[data-zoom-step='2']").Click();
        cut.Find("[data-zoom-step='3']").Click();
        Assert.True(Store.Pattern.Tracks[0].Steps[2].Active);
        Assert.True(Store.Pattern.Tracks[0].Steps[3].Active);
        Store.Undo();
        Assert.False(Store.Pattern.Tracks[0].Steps[3].Active);
        Assert.True(Store.Pattern.Tracks[0].Steps[2].Active);

        cut.FindAll(".zoom-tab")[2].Click();
        Assert.Equal(2, Store.SelectedTrack);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.FindAll(".zoom-tab")[2].GetAttribute("aria-pressed")));
        cut.Find("[data-zoom-step='4']").Click();
        Assert.True(Store.Pattern.Tracks[2].Steps[4].Active);
        Assert.Equal("2", cut.Find("[data-zoom-step='4']").GetAttribute("data-zoom-track"));
    }

    [Fact]
    public void A_long_track_is_a_grid_of_every_step()
    {
        Store.Dispatch(p => PatternEditor.SetTrackLength(p, 0, Pattern.MaxLength));
        var cut = Render<Live<RingZoom>>();
        Assert.Contains("as-grid", cut.Find(".zoom-steps").GetAttribute("class"));
        Assert.Equal(Pattern.MaxLength, cut.FindAll("button[data-zoom-step]").Count);
        Assert.Empty(cut.FindAll(".zoom-centre"));
    }
}
