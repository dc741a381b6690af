using Microsoft.Playwright;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests;

[Collection(AppCollection.Name)]
public sealed class EditingTests(AppServer server)
{
    [Fact]
    public async Task Clicking_a_step_toggles_it_and_undo_redo_restore_it()
    {
        await using var app = await server.OpenAsync();
        await app.ExpectStepAsync(2, 2, false);
        await app.Step(2, 2).ClickAsync();
        await app.ExpectStepAsync(2, 2, true);
        await app.Page.Keyboard.PressAsync("Control+z");
        await app.ExpectStepAsync(2, 2, false);
        await app.Page.Keyboard.PressAsync("Shift+Control+z");
        await app.ExpectStepAsync(2, 2, true);
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true }).ClickAsync();
        await app.ExpectStepAsync(2, 2, false);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task A_midi_file_picked_for_import_opens_as_its_pattern_in_the_published_app()
    {
        // Issue 25: the importer (NAudio.Midi, trimmed into the WebAssembly app) reads Orbitr's own file back exactly.
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 5, name: "From MIDI") with { Bpm = 97, Swing = 100 };
        p = Core.Editing.PatternEditor.SetStepActive(p, 1, 5, true);
        await app.ImportByPickerAsync("beat.mid", Core.Midi.MidiExport.ToBytes(p, 2));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("From MIDI");
        await app.ExpectStepAsync(2, 6, true);
        await app.ExpectStepAsync(2, 5, false);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task After_touching_a_slider_shortcuts_still_work_and_the_slider_keeps_its_arrows()
    {
        // Issue 23: focus stayed on a slider and Ctrl+Z, Space and the step keys did nothing.
        await using var app = await server.OpenAsync();
        var page = app.Page;
        await app.Step(1, 3).ClickAsync();
        await app.ExpectStepAsync(1, 3, true);
        var master = page.GetByLabel("Master volume");
        await master.FocusAsync(); // as a click or a tap on it leaves it (a click would also move it: an undo level)
        await Assertions.Expect(master).ToBeFocusedAsync();
        var volume = await master.InputValueAsync();

        await page.Keyboard.PressAsync("Control+z");
        await app.ExpectStepAsync(1, 3, false);
        // Step 5 of the selected ring.
        var ring = 1 + await page.EvaluateAsync<int>("() => [...document.querySelectorAll('svg.sequencer .ring')].findIndex(r => r.classList.contains('current'))");
        var was = await app.Step(ring, 5).GetAttributeAsync("aria-pressed");
        await page.Keyboard.PressAsync("5");
        await app.ExpectStepAsync(ring, 5, was != "true");
        // The arrows still move the slider, not the tempo.
        var bpm = await page.GetByLabel("BPM").InputValueAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(master).Not.ToHaveValueAsync(volume);
        Assert.Equal(bpm, await page.GetByLabel("BPM").InputValueAsync());
        await page.Keyboard.PressAsync(" ");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync(" ");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true })).ToBeVisibleAsync();
        // In a text field keys are typed, not shortcuts.
        var name = page.GetByLabel("Pattern name");
        await name.FillAsync("");
        await name.PressSequentiallyAsync("15 ");
        await Assertions.Expect(name).ToHaveValueAsync("15 ");
        await app.ExpectStepAsync(ring, 5, was != "true"); // "5" typed into the name toggled nothing
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Delete_clears_the_selected_steps()
    {
        await using var app = await server.OpenAsync();
        await app.Step(2, 4).ClickAsync();
        await app.ExpectStepAsync(2, 4, true);
        await app.Step(2, 6).ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await app.Page.Keyboard.PressAsync("Delete");
        await app.ExpectStepAsync(2, 4, false);
        await app.Page.Keyboard.PressAsync("Control+z");
        await app.ExpectStepAsync(2, 4, true);
    }

    [Fact]
    public async Task Dragging_across_steps_paints_them_as_one_undo_level()
    {
        await using var app = await server.OpenAsync();
        var first = await app.Step(3, 1).BoundingBoxAsync();
        await app.Page.Mouse.MoveAsync(first!.X + first.Width / 2, first.Y + first.Height / 2);
        await app.Page.Mouse.DownAsync();
        foreach (var s in new[] { 2, 3, 4 })
        {
            var box = await app.Step(3, s).BoundingBoxAsync();
            await app.Page.Mouse.MoveAsync(box!.X + box.Width / 2, box.Y + box.Height / 2, new() { Steps = 4 });
        }
        await app.Page.Mouse.UpAsync();
        for (var s = 1; s <= 4; s++) await app.ExpectStepAsync(3, s, true);
        await app.Page.Keyboard.PressAsync("Control+z");
        for (var s = 1; s <= 4; s++) await app.ExpectStepAsync(3, s, false);
    }

    [Fact]
    public async Task Keyboard_shortcuts_toggle_steps_clear_change_tempo_and_play()
    {
        await using var app = await server.OpenAsync();
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Select track 3 (B)" }).ClickAsync();
        await page.Locator("body").FocusAsync();
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("0");
        await page.Keyboard.PressAsync("y");
        await app.ExpectStepAsync(3, 1, true);
        await app.ExpectStepAsync(3, 10, true);
        await app.ExpectStepAsync(3, 16, true);
        await page.Keyboard.PressAsync("c");
        await app.ExpectStepAsync(3, 1, false);
        await app.ExpectStepAsync(3, 16, false);

        var bpm = page.GetByLabel("BPM", new() { Exact = true });
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(bpm).ToHaveValueAsync("121");
        await page.Keyboard.PressAsync("Shift+ArrowLeft");
        await Assertions.Expect(bpm).ToHaveValueAsync("111");

        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).WaitForAsync();

        // Arrow keys move between steps once a step has focus; Enter toggles the focused one.
        await app.Step(1, 1).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(app.Step(1, 3)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(app.Step(2, 3)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await app.ExpectStepAsync(2, 3, true);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Step_editor_edits_every_selected_step()
    {
        await using var app = await server.OpenAsync();
        await app.Step(5, 1).ClickAsync();
        await app.Step(5, 2).ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        // Knobs, as a musician turns them: keys for velocity (Home, then Page Up ×4 = 40), a drag for probability
        // (80 px down from 100 % is half the 160 px range: 50 %).
        var velocity = app.Page.GetByRole(AriaRole.Slider, new() { Name = "Velocity", Exact = true });
        await velocity.FocusAsync();
        await app.Page.Keyboard.PressAsync("Home");
        for (var i = 0; i < 4; i++) await app.Page.Keyboard.PressAsync("PageUp");
        await Assertions.Expect(velocity).ToHaveAttributeAsync("aria-valuenow", "40");
        var chance = app.Page.GetByRole(AriaRole.Slider, new() { Name = "Probability", Exact = true });
        var box = (await chance.BoundingBoxAsync())!;
        await app.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await app.Page.Mouse.DownAsync();
        await app.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2 + 80, new() { Steps = 8 });
        await Assertions.Expect(app.Page.Locator(".knob.active")).ToHaveCountAsync(1); // the value is shown while dragging
        await app.Page.Mouse.UpAsync();
        await Assertions.Expect(chance).ToHaveAttributeAsync("aria-valuenow", "0.5");
        await Assertions.Expect(chance).ToHaveAttributeAsync("aria-valuetext", "50 %");
        var saved = await app.WaitForSavedAsync(p => p.Tracks[4].Steps[1].Velocity == 40 && p.Tracks[4].Steps[1].Probability == 0.5);
        Assert.Equal(40, saved.Tracks[4].Steps[0].Velocity);
        Assert.Equal(0.5, saved.Tracks[4].Steps[0].Probability);
        // Double-click resets a knob to its default; the arrows step it (and leave the tempo alone).
        await velocity.DblClickAsync();
        await Assertions.Expect(velocity).ToHaveAttributeAsync("aria-valuenow", "100");
        var bpm = await app.Page.GetByLabel("BPM").InputValueAsync();
        await velocity.PressAsync("ArrowDown");
        await Assertions.Expect(velocity).ToHaveAttributeAsync("aria-valuenow", "99");
        Assert.Equal(bpm, await app.Page.GetByLabel("BPM").InputValueAsync());
        Assert.True(saved.Tracks[4].Steps[0].Active);
        Assert.False(saved.Tracks[4].Steps[1].Active); // shift+click selects without toggling
        await Assertions.Expect(app.Page.Locator("#step-4-0 .chance")).ToHaveCountAsync(1); // probability below 1 is marked
    }

    [Fact]
    public async Task The_pattern_survives_a_reload()
    {
        await using var app = await server.OpenAsync();
        await app.Step(6, 7).ClickAsync();
        await app.Page.GetByLabel("Track 6 Mute").ClickAsync();
        await app.WaitForSavedAsync(p => p.Tracks[5].Steps[6].Active && p.Tracks[5].Mute);
        await app.ReloadAsync();
        await app.ExpectStepAsync(6, 7, true);
        await Assertions.Expect(app.Page.GetByLabel("Track 6 Mute")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Empty(app.ConsoleErrors);
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("""{"format":"orbitr.pattern","version":7}""")]
    public async Task Corrupted_or_newer_saved_data_is_kept_aside_and_a_fresh_pattern_starts(string bad)
    {
        await using var app = await server.OpenAsync();
        await app.WriteSavedAsync(bad);
        await app.ReloadAsync();
        await app.Notice(4002).WaitForAsync();
        Assert.Contains("Error 4002", await app.Notice(4002).InnerTextAsync());
        await app.ExpectStepCountAsync(96);
        var kept = System.Text.Json.JsonDocument.Parse(await app.QuarantineAsync()).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Contains(bad, kept);
        // The app goes on: edits work and are saved again.
        await app.Step(2, 2).ClickAsync();
        await app.WaitForSavedAsync(p => p.Tracks[1].Steps[1].Active);
    }

    [Fact]
    public async Task Blocked_storage_is_reported_and_the_app_keeps_working_in_memory()
    {
        await using var app = await server.OpenAsync(
            "Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('storage is blocked', 'SecurityError'); } });");
        await app.Notice(4003).WaitForAsync();
        await app.Step(2, 2).ClickAsync();
        await app.ExpectStepAsync(2, 2, true);
    }

    [Fact]
    public async Task A_full_disk_is_reported_and_editing_goes_on()
    {
        await using var app = await server.OpenAsync("""
            const put = IDBObjectStore.prototype.put;
            IDBObjectStore.prototype.put = function (...args) {
              if (globalThis.__orbitrFull) throw new DOMException('quota', 'QuotaExceededError');
              return put.apply(this, args);
            };
            """);
        await app.Page.EvaluateAsync("() => { globalThis.__orbitrFull = true; }");
        await app.Step(2, 2).ClickAsync();
        await app.Notice(4001).WaitForAsync();
        await app.ExpectStepAsync(2, 2, true);
        await app.Page.EvaluateAsync("() => { globalThis.__orbitrFull = false; }");
        await app.Step(2, 3).ClickAsync();
        await app.WaitForSavedAsync(p => p.Tracks[1].Steps[2].Active);
        await app.Notice(4001).WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    [Fact]
    public async Task An_audio_context_that_cannot_start_is_reported_and_editing_goes_on()
    {
        await using var app = await server.OpenAsync("window.AudioContext = function () { throw new Error('no audio device'); };");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Notice(1001).WaitForAsync();
        var said = await app.Notice(1001).InnerTextAsync();
        Assert.Contains("no audio device", said);
        // What to do about it (issue 22): no output device or the site's sound blocked look like this to the page.
        Assert.Contains("sound output", said);
        Assert.Contains("Press Play to try again", said);
        await app.Step(2, 2).ClickAsync();
        await app.ExpectStepAsync(2, 2, true);
    }

    [Fact]
    public async Task Import_by_picker_and_by_drop_with_errors_listed_by_path()
    {
        await using var app = await server.OpenAsync();
        var bad = """{"format":"orbitr.pattern","version":1,"bpm":500,"tracks":[{"steps":[{"velocity":140}]}]}""";
        await app.ImportByPickerAsync("bad.json", System.Text.Encoding.UTF8.GetBytes(bad));
        var notice = app.Page.Locator(".notice.error").Filter(new() { HasText = "bad.json" });
        await notice.WaitForAsync();
        var text = await notice.InnerTextAsync();
        Assert.Contains("bpm", text);
        Assert.Contains("tracks[0].steps[0].velocity", text);
        await app.ExpectStepAsync(1, 1, true); // nothing changed

        // A file that is not JSON at all (issue 23: the trimmed app showed the reader's raw resource keys).
        await app.ImportByPickerAsync("notes.json", System.Text.Encoding.UTF8.GetBytes("bpm = 120\nswing = 10\n"));
        var notJson = app.Page.Locator(".notice.error").Filter(new() { HasText = "notes.json" });
        await notJson.WaitForAsync();
        var said = await notJson.InnerTextAsync();
        Assert.Contains("not a pattern file: not valid JSON at line 1, column 1", said);
        Assert.DoesNotContain("LineNumber", said);
        Assert.DoesNotContain("Expected", said);

        var pattern = PatternFactory.Create(4, seed: 7, name: "Dropped");
        pattern = Orbitr.Core.Editing.PatternEditor.SetStepActive(pattern, 3, 2, true);
        await app.ImportByDropAsync("dropped.json", PatternJson.Write(pattern));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Dropped");
        await app.ExpectStepCountAsync(4 * 16);
        await app.ExpectStepAsync(4, 3, true);
        // An import is a new pattern of the library: the one edited before is still there.
        await app.OpenPatternAsync("Untitled");
        await app.ExpectStepCountAsync(6 * 16);
    }
}
