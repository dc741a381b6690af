using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.EndToEnd.Tests;

[Collection(AppCollection.Name)]
public class GenerationTests(AppServer server)
{

    [Fact]
    public async Task A_prompt_is_generated_with_progress_lands_in_the_library_is_dropped_on_a_step_and_is_scheduled()
    {
        await using var app = await server.OpenAsync();
        var prompt = $"metallic cowbell {Guid.NewGuid():N}"[..26];
        await app.Page.Keyboard.PressAsync("g");
        await Assertions.Expect(app.Page.Locator("#prompt")).ToBeFocusedAsync();
        await app.Page.Keyboard.TypeAsync(prompt);
        await app.Page.GetByLabel("Duration (s)").FillAsync("1.5");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();

        var job = app.Page.Locator(".job", new() { HasText = prompt });
        await Assertions.Expect(job).ToHaveAttributeAsync("data-status", "succeeded");
        var progress = job.GetByRole(AriaRole.Progressbar);
        Assert.Equal("1", await progress.GetAttributeAsync("value"));
        // Followed by Server-Sent Events, not polling.
        Assert.True(await app.Page.EvaluateAsync<bool>("() => performance.getEntriesByType('resource').some(e => /\\/api\\/generations\\/[^/]+\\/events$/.test(e.name))"));
        Assert.False(await app.Page.EvaluateAsync<bool>("() => performance.getEntriesByType('resource').some(e => /\\/api\\/generations\\/[^/]+$/.test(e.name))"));

        var item = app.Page.Locator("li.sample.generated", new() { HasText = prompt });
        await Assertions.Expect(item).ToBeVisibleAsync();
        var source = (await item.GetAttributeAsync("data-source"))!;
        Assert.StartsWith("generated:", source);
        Assert.Equal("1.5 s", (await item.Locator(".meta").InnerTextAsync()).Split('·')[1].Trim());

        // Drag it onto step 3 of ring 2: the step plays the generated sound.
        await item.DragToAsync(app.Step(2, 3));
        var saved = await app.WaitForSavedAsync(p => p.Tracks[1].Steps[2].Sample is { } k && p.FindSample(k)?.Source == source);
        Assert.True(saved.Tracks[1].Steps[2].Active);
        await app.ExpectStepAsync(2, 3, true);
        // For looking at (docs, reviews): the panel after a generation, the sample on its step.
        await app.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "orbitr-generation.png"), FullPage = true });

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        // Play until a voice of the generated sound (1.5 s: 66,150 frames) on ring 2 has started on the audio clock.
        await app.Page.WaitForFunctionAsync(
            "() => { const c = globalThis.__orbitrContexts?.at(-1); " +
            "return !!c && (globalThis.__orbitrScheduled ?? []).some(e => e.track === 1 && e.frames === 66150 && !e.cancelled && c.currentTime > e.time + 0.05); }",
            null, new() { Timeout = 30_000 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).WaitForAsync();
        var (_, matched, _, _) = Voice.Match(saved, await Voice.ReadAsync(app.Page), await Voice.LastStopAsync(app.Page));
        var note = Assert.Single(matched, m => m.Note.TrackIndex == 1 && m.Note.StepIndex == 2 && m.Note.Cycle == 0);
        Assert.Equal((int)Math.Round(1.5 * 44100), note.Voice.Frames); // the generated sample's buffer, not the kit snare
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task The_library_previews_searches_uploads_and_deletes()
    {
        await using var app = await server.OpenAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Preview kick", Exact = true }).ClickAsync();
        await app.Page.WaitForFunctionAsync("() => (globalThis.__orbitrPreviewed ?? []).length === 1");

        var name = $"upload{Guid.NewGuid():N}"[..14];
        var wav = Orbitr.Dsp.Wav.WavWriter.ToBytes(new Orbitr.Dsp.Audio.AudioBuffer([Enumerable.Range(0, 22050).Select(i => (float)Math.Sin(i * 0.05) * 0.5f).ToArray()], 44100),
            Orbitr.Dsp.Wav.WavSampleFormat.Pcm16);
        await app.Page.Locator("input[type=file][aria-label='Upload a sample']").SetInputFilesAsync(new FilePayload { Name = name + ".wav", MimeType = "audio/wav", Buffer = wav });
        var uploaded = app.Page.Locator("li.sample.upload", new() { HasText = name });
        await Assertions.Expect(uploaded).ToBeVisibleAsync();

        // A text file renamed .wav is refused with 1002 and nothing is added.
        await app.Page.Locator("input[type=file][aria-label='Upload a sample']").SetInputFilesAsync(new FilePayload { Name = "fake.wav", MimeType = "audio/wav", Buffer = "not audio at all"u8.ToArray() });
        await Assertions.Expect(app.Notice(1002)).ToBeVisibleAsync();
        await Assertions.Expect(app.Page.Locator("li.sample", new() { HasText = "fake" })).ToHaveCountAsync(0);

        await app.Page.GetByLabel("Search samples").FillAsync(name);
        await Assertions.Expect(app.Page.Locator("li.sample.upload")).ToHaveCountAsync(1);
        await Assertions.Expect(app.Page.Locator("li.sample.kit")).ToHaveCountAsync(0);
        await app.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}", Exact = true }).ClickAsync();
        await Assertions.Expect(uploaded).ToHaveCountAsync(0);
        await app.Page.GetByLabel("Search samples").FillAsync("");
        await Assertions.Expect(app.Page.Locator("li.sample.kit")).ToHaveCountAsync(12);
        Assert.DoesNotContain(app.ConsoleErrors, e => !e.Contains("415"));
    }

    [Fact]
    public async Task Audio_files_dropped_on_the_library_are_uploaded()
    {
        await using var app = await server.OpenAsync();
        var name = $"dropped{Guid.NewGuid():N}"[..15];
        var wav = Orbitr.Dsp.Wav.WavWriter.ToBytes(new Orbitr.Dsp.Audio.AudioBuffer([Enumerable.Range(0, 11025).Select(i => (float)Math.Sin(i * 0.1) * 0.4f).ToArray()], 22050),
            Orbitr.Dsp.Wav.WavSampleFormat.Pcm16);
        await app.Page.EvaluateAsync("""
            ([name, bytes]) => {
              const dt = new DataTransfer();
              dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'audio/wav' }));
              document.querySelector('[data-drop=library] .samples').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
            }
            """, new object[] { name + ".wav", wav.Select(b => (int)b).ToArray() });
        var item = app.Page.Locator("li.sample.upload", new() { HasText = name });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await Assertions.Expect(item.Locator(".meta")).ToContainTextAsync("0.5 s");
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task With_the_server_unreachable_generation_shows_3001_and_the_sequencer_keeps_working()
    {
        await using var app = await server.OpenAsync();
        await app.Page.RouteAsync("**/api/**", route => route.AbortAsync("internetdisconnected"));
        await app.Page.Locator("#prompt").FillAsync("warm pad");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
        var error = app.Page.Locator("section.generate .form-error[data-code='3001']");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("cannot be reached");
        await app.Step(3, 2).ClickAsync();
        await app.ExpectStepAsync(3, 2, true);
        await app.WaitForSavedAsync(p => p.Tracks[2].Steps[1].Active);
    }

    [Fact]
    public async Task A_genre_pack_builds_its_pattern_in_one_click()
    {
        await using var app = await server.OpenAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Start a Drum & bass pattern", Exact = true }).ClickAsync();
        var saved = await app.WaitForSavedAsync(p => p.Bpm == 174);
        Assert.Equal("Drum & bass", saved.Name);
        await Assertions.Expect(app.Page.GetByLabel("BPM")).ToHaveValueAsync("174");
    }

    [Fact]
    public async Task A_share_link_opens_the_same_pattern_in_a_fresh_browser()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(5, seed: 7, name: "Shared groove") with { Bpm = 97 };
        foreach (var s in new[] { 0, 3, 6, 10 }) p = PatternEditor.SetStepActive(p, 2, s, true);
        await app.ImportByDropAsync("shared.json", PatternJson.Write(p));
        await app.ExpectStepAsync(3, 7, true);
        await app.MenuItemAsync("Share", "Share link");
        var link = await app.Page.GetByLabel("Share link", new() { Exact = true }).InputValueAsync();
        Assert.Matches("^http://127.0.0.1:\\d+/p/[A-Za-z0-9_-]+$", link);

        await using var other = await server.OpenAsync();
        await other.Page.GotoAsync(link);
        await other.WaitReadyAsync();
        var opened = await other.WaitForSavedAsync(x => x.Name == "Shared groove");
        Assert.Equal(p, opened);
        Assert.Equal(server.BaseUrl + "/", other.Page.Url);
        Assert.Empty(other.ConsoleErrors);
    }

    [Fact]
    public async Task An_encrypted_link_opens_the_pattern_while_the_server_holds_only_ciphertext()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(6, seed: 3, name: "Secret groove") with { Bpm = 111 };
        foreach (var s in new[] { 1, 5, 9 }) p = PatternEditor.SetStepActive(p, 4, s, true);
        await app.ImportByDropAsync("secret.json", PatternJson.Write(p));
        await app.ExpectStepAsync(5, 6, true);
        await app.MenuItemAsync("Share", "Encrypted link");
        var link = await app.Page.GetByLabel("Encrypted share link").InputValueAsync();
        var m = System.Text.RegularExpressions.Regex.Match(link, "/p/([A-Za-z0-9_-]+)#k=([A-Za-z0-9_-]{43})$");
        Assert.True(m.Success, link);

        using var http = new HttpClient();
        var stored = await http.GetAsync($"{server.BaseUrl}/api/patterns/{m.Groups[1].Value}");
        Assert.Equal("application/octet-stream", stored.Content.Headers.ContentType?.MediaType);
        var bytes = await stored.Content.ReadAsByteArrayAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes));
        Assert.DoesNotContain("Secret groove", System.Text.Encoding.Latin1.GetString(bytes));

        await using var other = await server.OpenAsync();
        await other.Page.GotoAsync(link);
        await other.WaitReadyAsync();
        Assert.Equal(p, await other.WaitForSavedAsync(x => x.Name == "Secret groove"));

        // A wrong key opens nothing and says so; the visitor's own pattern stays.
        await using var third = await server.OpenAsync();
        await third.Page.GotoAsync(link[..^4] + "AAAA");
        await third.WaitReadyAsync();
        await Assertions.Expect(third.Page.Locator(".notice", new() { HasText = "could not be opened" })).ToBeVisibleAsync();
        Assert.NotEqual("Secret groove", (await third.WaitForSavedAsync(_ => true)).Name);
    }
}
