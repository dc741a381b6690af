using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;

namespace Orbitr.EndToEnd.Tests.Songs;

/// <summary>Issue 25's song view in the browser: a song of three library patterns is put together in the Song menu,
/// plays section after section on the live AudioContext at exactly the song timeline's times (each at its own tempo),
/// shows the section playing, stops where its last section ends, and is still there after a reload (IndexedDB).</summary>
[Collection(AppCollection.Name)]
public sealed class SongViewTests(AppServer server)
{
    [Fact]
    public async Task A_song_made_in_the_song_view_plays_its_sections_on_the_song_timeline_and_is_kept()
    {
        await using var app = await server.OpenAsync();
        await OfflineTests.WaitForOfflineCopyAsync(app);
        var a = PatternFactory.Create(4, seed: 1, name: "Song A") with { Bpm = 120 };
        for (var s = 0; s < 16; s += 2) a = PatternEditor.SetStepActive(a, 0, s, true);
        var b = PatternFactory.Create(4, seed: 2, name: "Song B") with { Bpm = 90 };
        foreach (var s in new[] { 0, 4, 8, 12 }) b = PatternEditor.SetStepActive(b, 1, s, true);
        var c = PatternEditor.SetLength(PatternFactory.Create(4, seed: 3, name: "Song C") with { Bpm = 150 }, 8);
        foreach (var s in new[] { 0, 3, 6 }) c = PatternEditor.SetStepActive(c, 2, s, true);
        foreach (var p in new[] { c, b, a })
        {
            await app.ImportByDropAsync($"{p.Name}.json", PatternJson.Write(p));
            await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync(p.Name);
        }

        await app.OpenMenuAsync("Song");
        var panel = app.Page.Locator("#song-menu");
        await panel.GetByRole(AriaRole.Button, new() { Name = "New song" }).ClickAsync();
        var names = panel.Locator(".song-section .section-name");
        await Assertions.Expect(names).ToHaveTextAsync(["Song A"]);
        await panel.GetByLabel("Repeats of section 1").FillAsync("1");
        await panel.GetByLabel("Repeats of section 1").BlurAsync();
        foreach (var (name, repeat) in new[] { ("Song B", 2), ("Song C", 2) })
        {
            var n = await names.CountAsync() + 1;
            await panel.GetByLabel("Pattern to add").SelectOptionAsync(new SelectOptionValue { Label = name });
            await panel.GetByRole(AriaRole.Button, new() { Name = "Add section" }).ClickAsync();
            await Assertions.Expect(names).ToHaveCountAsync(n);
            await panel.GetByLabel($"Repeats of section {n}").FillAsync(repeat.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await panel.GetByLabel($"Repeats of section {n}").BlurAsync();
        }
        await Assertions.Expect(names).ToHaveTextAsync(["Song A", "Song B", "Song C"]);
        SongPart[] parts = [new(a, 1), new(b, 2), new(c, 2)];
        await Assertions.Expect(panel.Locator(".song-status")).ToHaveTextAsync($"3 sections · 0:{(int)Math.Round(SongTimeline.TotalSeconds(parts)):00}");

        await panel.GetByRole(AriaRole.Button, new() { Name = "Play song" }).ClickAsync();
        await Assertions.Expect(panel.Locator(".song-status")).ToContainTextAsync("Playing section 2 of 3", new() { Timeout = 20_000 });
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Song B");
        await Assertions.Expect(panel.Locator("li.song-section.playing .section-name")).ToHaveTextAsync("Song B");
        // To look at it: ORBITR_SHOT=/tmp/song.png.
        if (Environment.GetEnvironmentVariable("ORBITR_SHOT") is { Length: > 0 } shot) await app.Page.ScreenshotAsync(new() { Path = shot });
        await Assertions.Expect(panel.Locator(".song-status")).ToContainTextAsync("Playing section 3 of 3", new() { Timeout = 20_000 });
        // It stops by itself where the last section ends.
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(panel.Locator(".song-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^3 sections"));

        var voices = (await Voice.ReadAsync(app.Page)).Where(v => !v.Cancelled && v.Track >= 0).OrderBy(v => v.Time).ThenBy(v => v.Track).ToList();
        var expected = SongTimeline.Notes(parts).Select(n => (n.Note.TrackIndex, n.Note.Time)).OrderBy(n => n.Time).ThenBy(n => n.TrackIndex).ToList();
        Assert.Equal(expected.Count, voices.Count);
        var origin = voices[0].Time - expected[0].Time;
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].TrackIndex, voices[i].Track);
            Assert.Equal(origin + expected[i].Time, voices[i].Time, 9);
        }

        // Kept in this browser: the song and its sections come back after a reload.
        await app.ReloadAsync();
        await app.OpenMenuAsync("Song");
        await Assertions.Expect(app.Page.Locator("#song-menu .song-section .section-name")).ToHaveTextAsync(["Song A", "Song B", "Song C"]);
        await Assertions.Expect(app.Page.Locator("#song-menu").GetByLabel("Repeats of section 2")).ToHaveValueAsync("2");
        // Dragged by the mouse, the last section becomes the first.
        var sections = app.Page.Locator("#song-menu li.song-section");
        await sections.Nth(2).DragToAsync(sections.Nth(0));
        await Assertions.Expect(app.Page.Locator("#song-menu .song-section .section-name")).ToHaveTextAsync(["Song C", "Song A", "Song B"]);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task A_loop_range_plays_from_a_section_and_goes_back_to_its_first_section()
    {
        await using var app = await server.OpenAsync();
        await OfflineTests.WaitForOfflineCopyAsync(app);
        Pattern Ring(uint seed, string name, int ring, double bpm)
        {
            var p = PatternFactory.Create(4, seed: seed, name: name) with { Bpm = bpm };
            foreach (var s in new[] { 0, 8 }) p = PatternEditor.SetStepActive(p, ring, s, true);
            return p;
        }
        var a = Ring(1, "Loop A", 0, 120);
        var b = Ring(2, "Loop B", 1, 160);
        var c = Ring(3, "Loop C", 2, 140);
        var bundle = SongBundle.Pack(new Song("Looped", new EquatableArray<SongSection>([new("a", 1), new("b", 1), new("c", 2)])),
            r => r switch { "a" => a, "b" => b, _ => c }, out _)!;
        await app.ImportByDropAsync("looped.orbitr.song", SongJson.Write(bundle));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Loop A");

        await app.OpenMenuAsync("Song");
        var panel = app.Page.Locator("#song-menu");
        await Assertions.Expect(panel.Locator(".song-section .section-name")).ToHaveTextAsync(["Loop A", "Loop B", "Loop C"]);
        await panel.GetByLabel("Loop sections").CheckAsync();
        await panel.GetByLabel("Loop from section").SelectOptionAsync(new SelectOptionValue { Value = "2" });
        await Assertions.Expect(panel.Locator("li.song-section.looped")).ToHaveCountAsync(2);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Play from section 2" }).ClickAsync();
        await Assertions.Expect(panel.Locator(".song-status")).ToContainTextAsync("Playing section 3 of 3", new() { Timeout = 20_000 });
        await Assertions.Expect(panel.Locator(".song-status")).ToContainTextAsync("Playing section 2 of 3", new() { Timeout = 20_000 });
        await Assertions.Expect(panel.Locator(".song-status")).ToContainTextAsync("Playing section 3 of 3", new() { Timeout = 20_000 });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Stop song" }).ClickAsync();
        await Assertions.Expect(panel.Locator(".song-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^3 sections"));

        // B, C twice, B, C…: never A; each section exactly where the one before ends.
        var voices = (await Voice.ReadAsync(app.Page)).Where(v => !v.Cancelled && v.Track >= 0).OrderBy(v => v.Time).ToList();
        Assert.DoesNotContain(voices, v => v.Track == 0);
        SongPart[] order = [new(b, 1), new(c, 2), new(b, 1), new(c, 2)];
        var expected = SongTimeline.Notes(order).Select(n => (n.Note.TrackIndex, n.Note.Time)).ToList();
        var origin = voices[0].Time;
        var heard = voices.Where(v => v.Time < origin + SongTimeline.TotalSeconds(order) - 1e-6).ToList();
        Assert.True(heard.Count >= 8, $"{heard.Count} notes before the second round ended");
        for (var i = 0; i < heard.Count; i++)
        {
            Assert.Equal(expected[i].TrackIndex, heard[i].Track);
            Assert.Equal(origin + expected[i].Time, heard[i].Time, 9);
        }
        Assert.Empty(app.ConsoleErrors);
    }
}
