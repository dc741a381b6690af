using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Issue 26 with a real mouse: dragging up on a step switched on makes it louder (a click still toggles), and
/// dragging across the velocity lane draws the ring's velocities, one undo level a drag.</summary>
[Collection(AppCollection.Name)]
public sealed class VelocityPaintTests(AppServer server)
{
    [Fact]
    public async Task Dragging_a_step_up_and_across_the_velocity_lane_sets_saved_velocities()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 7, name: "Velocity paint");
        p = PatternEditor.UpdateStep(p, 1, 4, s => s with { Active = true, Velocity = 60 });
        p = PatternEditor.UpdateStep(p, 1, 8, s => s with { Active = true, Velocity = 90 });
        await app.ImportByDropAsync("velocity.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Velocity paint");
        await app.ExpectStepAsync(2, 5, true);

        // Up 40 px on ring 2's step 5: velocity 60 → 100, the step stays on.
        var box = (await app.Step(2, 5).BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await app.Page.Mouse.MoveAsync((float)x, (float)y);
        await app.Page.Mouse.DownAsync();
        await app.Page.Mouse.MoveAsync((float)x, (float)(y - 40), new() { Steps = 8 });
        await app.Page.Mouse.UpAsync();
        var saved = await app.WaitForSavedAsync(x => x.Tracks[1].Steps[4].Velocity != 60);
        Assert.Equal(100, saved.Tracks[1].Steps[4].Velocity);
        Assert.True(saved.Tracks[1].Steps[4].Active);
        // A plain click on a step switched on still switches it off.
        await app.Step(2, 9).ClickAsync();
        await app.ExpectStepAsync(2, 9, false);
        await app.Page.Keyboard.PressAsync("Control+z");
        await app.ExpectStepAsync(2, 9, true);

        // The lanes of ring 2 (selected by the drag): from bar 1 at the top to bar 4 at the bottom.
        await app.Page.Locator(".view-switch").GetByRole(AriaRole.Button, new() { Name = "Lanes", Exact = true }).ClickAsync();
        await Assertions.Expect(app.Page.Locator("section.step-lanes h2")).ToContainTextAsync("ring 2");
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Slider, new() { Name = "Velocity step 5", Exact = true })).ToHaveAttributeAsync("aria-valuenow", "100");
        var lane = (await app.Page.Locator("[data-lane=Velocity] .lane").BoundingBoxAsync())!;
        var bar = lane.Width / 16;
        await app.Page.Mouse.MoveAsync((float)(lane.X + bar * 0.5), (float)(lane.Y + 1));
        await app.Page.Mouse.DownAsync();
        await app.Page.Mouse.MoveAsync((float)(lane.X + bar * 3.5), (float)(lane.Y + lane.Height + 20), new() { Steps = 6 }); // past the bottom
        await app.Page.Mouse.UpAsync();
        saved = await app.WaitForSavedAsync(x => x.Tracks[1].Steps[3].Velocity == 1);
        var drawn = saved.Tracks[1].Steps.Items.Take(4).Select(s => s.Velocity).ToList();
        Assert.True(drawn[0] > 110, $"bar 1 at the top: {string.Join(", ", drawn)}");
        Assert.True(drawn[0] > drawn[1] && drawn[1] > drawn[2] && drawn[2] > drawn[3], $"a falling line: {string.Join(", ", drawn)}");
        Assert.Equal(100, saved.Tracks[1].Steps[4].Velocity); // past the drag: untouched
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Slider, new() { Name = "Velocity step 4", Exact = true })).ToHaveAttributeAsync("aria-valuenow", "1");

        // The arrow keys on a bar step it (and leave the tempo alone); one undo takes the whole drag back.
        var bpm = saved.Bpm;
        await app.Page.GetByRole(AriaRole.Slider, new() { Name = "Velocity step 4", Exact = true }).FocusAsync();
        await app.Page.Keyboard.PressAsync("ArrowUp");
        await app.Page.Keyboard.PressAsync("ArrowRight"); // the next bar, not BPM + 1
        await app.Page.Keyboard.PressAsync("ArrowUp");
        saved = await app.WaitForSavedAsync(x => x.Tracks[1].Steps[3].Velocity == 2 && x.Tracks[1].Steps[4].Velocity == 101);
        Assert.Equal(bpm, saved.Bpm);
        await app.Page.Keyboard.PressAsync("Control+z");
        await app.Page.Keyboard.PressAsync("Control+z");
        await app.Page.Keyboard.PressAsync("Control+z");
        saved = await app.WaitForSavedAsync(x => x.Tracks[1].Steps[3].Velocity == 100);
        Assert.Equal(p.Tracks[1].Steps.Items.Take(4).Select(s => s.Velocity), saved.Tracks[1].Steps.Items.Take(4).Select(s => s.Velocity));
        Assert.Equal(100, saved.Tracks[1].Steps[4].Velocity);
        Assert.Empty(app.ConsoleErrors);
    }
}
