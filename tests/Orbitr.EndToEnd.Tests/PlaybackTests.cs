using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Cli;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Wav;

namespace Orbitr.EndToEnd.Tests;

[Collection(AppCollection.Name)]
public sealed class PlaybackTests(AppServer server)
{
    [Fact]
    public async Task Two_seconds_of_playback_schedule_exactly_the_schedulers_notes_and_none_late()
    {
        await using var app = await server.OpenAsync();
        // On a first visit the service worker copies the app for offline use in the background; on this 2-core
        // machine that competes with the first ticks. This test pins the scheduler's timing, so it starts after it.
        await OfflineTests.WaitForOfflineCopyAsync(app);
        // Swing, micro-timing, probability and two ring lengths, so the comparison covers the timing maths.
        var p = PatternFactory.Create(4, seed: 99, name: "Timing") with { Bpm = 150, Swing = 40 };
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        p = PatternEditor.SetTrackLength(p, 1, 5);
        foreach (var s in new[] { 0, 2, 3 }) p = PatternEditor.SetStepActive(p, 1, s, true);
        p = PatternEditor.UpdateStep(p, 1, 3, st => st with { Timing = -20 });
        for (var s = 0; s < 16; s++) p = PatternEditor.UpdateStep(p, 2, s, st => st with { Active = true, Probability = 0.5, Timing = 7 });
        await app.ImportByDropAsync("timing.json", PatternJson.Write(p));
        await app.ExpectStepAsync(2, 4, true);

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        // Play until the audio clock is 1.6 s past the first note (polled every 100 ms, not every frame: the page's main thread is busy scheduling).
        await app.Page.WaitForFunctionAsync(
            "() => { const v = (globalThis.__orbitrScheduled ?? []).filter(x => x.track >= 0 && !x.cancelled); const c = globalThis.__orbitrContexts?.at(-1); " +
            "return v.length > 0 && c && c.currentTime - Math.min(...v.map(x => x.time)) > 1.6; }",
            null, new() { Timeout = 30_000, PollingInterval = 100 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).WaitForAsync();

        // Stop cancels every voice not started yet; the ones that sounded are exactly the scheduler's notes up to Stop.
        var stoppedAt = await Voice.LastStopAsync(app.Page);
        var voices = await Voice.ReadAsync(app.Page);
        var (origin, matched, missing, extra) = Voice.Match(p, voices, stoppedAt);
        Assert.True(stoppedAt - origin > 1.5, $"played {stoppedAt - origin} s of pattern time");
        Assert.True(matched.Count > 30, $"{matched.Count} notes played");
        Assert.Empty(missing);                                                                   // all present
        Assert.Empty(extra);                                                                     // none extra, none twice
        foreach (var (v, e) in matched)
            Assert.True(v.At < v.Time, $"note {e} was handed to Web Audio at {v.At}, after its start {v.Time}");
        Assert.Contains(voices, v => v.Cancelled);                                               // scheduled ahead, cancelled by Stop
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Browser_wav_export_nulls_against_orbitr_render_with_the_limiter_working_hard()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 5, name: "Null test") with { Bpm = 132, Swing = 30 };
        // A ceiling 12 dB down: the limiter works on nearly every hit, so the live-path worklet has to match
        // Orbitr.Dsp's LookAheadLimiter, not just pass audio under the ceiling.
        p = p with { Master = p.Master with { Volume = 1, Compressor = p.Master.Compressor with { Enabled = false }, Limiter = new LimiterSettings(true, -12) } };
        foreach (var s in new[] { 0, 4, 8, 12 }) p = PatternEditor.SetStepActive(p, 0, s, true);
        foreach (var s in new[] { 4, 12 }) p = PatternEditor.UpdateStep(p, 1, s, st => st with
        {
            Active = true,
            Velocity = 90,
            Effects = new StepEffects(new FilterEffect(FilterType.Highpass, 800, 2), null, new DelayEffect(0.18, 0.5, 0.4)),
        });
        for (var s = 0; s < 16; s += 2) p = PatternEditor.UpdateStep(p, 2, s, st => st with
        {
            Active = true,
            Velocity = 60 + s * 3,
            Timing = s % 4 == 2 ? 12 : 0,
            Effects = new StepEffects(null, new DistortionEffect(0.6), null),
        });
        p = PatternEditor.SetTrackPan(p, 2, -0.6);
        p = PatternEditor.SetTrackPan(p, 3, 0.4);
        foreach (var s in new[] { 3, 7, 11 }) p = PatternEditor.UpdateStep(p, 3, s, st => st with
        {
            Active = true,
            Effects = new StepEffects(new FilterEffect(FilterType.Bandpass, 2500, 4), null, null),
        });
        await app.ImportByDropAsync("null.json", PatternJson.Write(p));
        await app.ExpectStepAsync(2, 5, true);

        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("Export cycles").SelectOptionAsync("2");
        await app.Page.GetByLabel("WAV format").SelectOptionAsync("Float32");
        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).ClickAsync(), new() { Timeout = 60_000 });
        var dir = Directory.CreateTempSubdirectory("orbitr-null-");
        var browserWav = Path.Combine(dir.FullName, "browser.wav");
        await download.SaveAsAsync(browserWav);

        var cliWav = Render(dir, "null", p);
        var unlimitedWav = Render(dir, "unlimited", p with { Master = p.Master with { Limiter = new LimiterSettings(false, -12) } });

        var browser = WavReader.ReadFile(browserWav);
        var cli = WavReader.ReadFile(cliWav);
        var unlimited = WavReader.ReadFile(unlimitedWav);
        Assert.Equal(cli.SampleRate, browser.SampleRate);
        var span = (int)Math.Round(2 * p.CycleSeconds * cli.SampleRate);
        Assert.True(browser.Length >= span && cli.Length >= span);
        Assert.Equal(cli.Length, browser.Length); // the same auto tail
        double residual = 0, peak = 0, unlimitedPeak = 0;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < cli.Length; i++)
            {
                residual = Math.Max(residual, Math.Abs(browser.Channel(c)[i] - cli.Channel(c)[i]));
                peak = Math.Max(peak, Math.Abs(cli.Channel(c)[i]));
            }
        for (var c = 0; c < 2; c++) unlimitedPeak = Math.Max(unlimitedPeak, unlimited.Channel(c).Max(Math.Abs));
        var residualDb = 20 * Math.Log10(Math.Max(residual, 1e-12));
        Console.WriteLine($"browser {browser.Length} frames, cli {cli.Length} frames, peak {20 * Math.Log10(peak):F1} dBFS " +
            $"(unlimited {20 * Math.Log10(unlimitedPeak):F1} dBFS), residual {residualDb:F1} dBFS");
        if (residualDb >= -90)
        {
            var keep = Path.Combine(server.RepoRoot, "TestResults", "null-test");
            Directory.CreateDirectory(keep);
            foreach (var f in dir.GetFiles()) f.CopyTo(Path.Combine(keep, f.Name), overwrite: true);
        }
        Assert.True(20 * Math.Log10(unlimitedPeak) > -12 + 6, "the limiter must work hard: the unlimited peak is at least 6 dB over the ceiling");
        Assert.True(20 * Math.Log10(peak) <= -12 + 0.01, "the limiter holds its ceiling");
        Assert.True(residualDb < -90, $"residual {residualDb:F1} dBFS");
        dir.Delete(recursive: true);
    }

    private static string Render(DirectoryInfo dir, string name, Pattern p)
    {
        var patternFile = Path.Combine(dir.FullName, name + ".json");
        File.WriteAllText(patternFile, PatternJson.Write(p));
        var wav = Path.Combine(dir.FullName, name + ".wav");
        var code = OrbitrCli.Run(["render", patternFile, "-o", wav, "--cycles", "2", "--format", "32f"], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, code);
        return wav;
    }

    [Fact]
    public async Task The_export_dialog_shows_progress_keeps_the_app_responsive_and_can_be_cancelled()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(8, seed: 3, name: "Long export") with { Bpm = 60 };
        for (var t = 0; t < 8; t++)
            for (var s = 0; s < 16; s += 2) p = PatternEditor.SetStepActive(p, t, s, true);
        // Long echoes keep Chromium busy (each is a feedback loop of its own): this export takes a while.
        for (var s = 0; s < 16; s += 2) p = PatternEditor.SetStepEffects(p, 0, s, new StepEffects(null, null, new DelayEffect(0.3, 0.7, 0.5)));
        await app.ImportByDropAsync("long.json", PatternJson.Write(p));
        await app.ExpectStepAsync(1, 1, true);
        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("Export cycles").SelectOptionAsync("32"); // 128 s of audio
        var downloads = 0;
        app.Page.Download += (_, _) => downloads++;

        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).ClickAsync();
        var dialog = app.Page.GetByRole(AriaRole.Dialog, new() { Name = "Exporting WAV…" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await app.Page.WaitForFunctionAsync("() => Number(document.querySelector('.export-dialog progress')?.value) > 0", null, new() { Timeout = 60_000 });
        // The rest of the app keeps working while it renders.
        await app.Step(1, 2).ClickAsync();
        await app.ExpectStepAsync(1, 2, true);

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel export" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(app.Page.Locator(".notice", new() { HasText = "Export cancelled" })).ToBeVisibleAsync();
        await app.Page.WaitForTimeoutAsync(1000); // kept fixed: a window in which a cancelled export would download
        Assert.Equal(0, downloads);
        await app.OpenMenuAsync("Export");
        Assert.False(await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).IsDisabledAsync());

        // A short export afterwards runs to the end.
        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("Export cycles").SelectOptionAsync("1");
        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).ClickAsync(), new() { Timeout = 60_000 });
        Assert.EndsWith(".wav", download.SuggestedFilename);
    }

    [Fact]
    public async Task Midi_and_json_exports_download_the_pattern()
    {
        await using var app = await server.OpenAsync();
        var json = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.MenuItemAsync("Export", "Export JSON"));
        var path = await json.PathAsync();
        var read = PatternJson.Read(await File.ReadAllBytesAsync(path!));
        Assert.NotNull(read.Pattern);
        Assert.True(read.Pattern!.Tracks[0].Steps[0].Active);
        var midi = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.MenuItemAsync("Export", "Export MIDI"));
        Assert.EndsWith(".mid", midi.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await midi.PathAsync())!);
        Assert.Equal("MThd"u8.ToArray(), bytes[..4]);
    }

    [Fact]
    public async Task A_sample_that_cannot_be_loaded_is_reported_and_the_other_tracks_keep_playing()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 2, name: "Missing file");
        p = p with { Samples = p.Samples.Add(new SampleEntry("clap-file", SampleRef.File("clap.wav"))) };
        p = PatternEditor.SetTrackSample(p, 1, "clap-file");
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepActive(PatternEditor.SetStepActive(p, 0, s, true), 1, s, true);
        await app.ImportByDropAsync("missing.json", PatternJson.Write(p));
        await app.ExpectStepAsync(2, 16, true);
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Notice(1002).WaitForAsync();
        Assert.Contains("clap-file", await app.Notice(1002).InnerTextAsync());
        // Every step of both rings is on: by the time the kick has four notes scheduled, the clap would have had its own.
        await app.Page.WaitForFunctionAsync("() => (globalThis.__orbitrScheduled ?? []).filter(e => e.track === 0).length >= 4", null, new() { Timeout = 30_000 });
        var tracks = await app.Page.EvaluateAsync<int[]>("() => globalThis.__orbitrScheduled.map(e => e.track)");
        Assert.Contains(0, tracks);          // the kick plays on
        Assert.DoesNotContain(1, tracks);    // the missing sample is skipped, not fatal
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Stop_silences_the_output_within_50_ms()
    {
        await using var app = await server.OpenAsync();
        // Every step of four rings, with long delay tails, so plenty is sounding when Stop comes.
        var p = PatternFactory.Create(4, seed: 8, name: "Dense");
        for (var t = 0; t < 4; t++)
            for (var s = 0; s < 16; s++)
                p = PatternEditor.UpdateStep(p, t, s, st => st with { Active = true, Effects = new StepEffects(null, null, new DelayEffect(0.3, 0.8, 0.8)) });
        await app.ImportByDropAsync("dense.json", PatternJson.Write(p));
        await app.ExpectStepAsync(4, 16, true);
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        // Wait until it is sounding loudly (above −30 dBFS) before stopping.
        var loud = await app.Page.WaitForFunctionAsync("() => { const p = globalThis.__orbitrPeakNow(); return p > 10 ** (-30 / 20) ? p : null; }",
            null, new() { Timeout = 30_000, PollingInterval = 20 });
        var playing = 20 * Math.Log10(await loud.JsonValueAsync<double>());
        Assert.True(playing > -30, $"only {playing:F1} dBFS while playing");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        var peak = await app.Page.EvaluateAsync<double>("() => globalThis.__orbitrSilenceAfterStop().then(r => r.peak)");
        var db = 20 * Math.Log10(Math.Max(peak, 1e-12));
        Console.WriteLine($"peak while playing {playing:F1} dBFS; from Stop + 50 ms: {db:F1} dBFS");
        Assert.True(db < -60, $"still {db:F1} dBFS 50 ms after Stop");
    }
}
