using System.Text;
using Orbitr.Browsers.Tests.Engines;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.Published;

namespace Orbitr.Browsers.Tests;

/// <summary>The same user journeys in every engine (issue 22): load, toggle, undo, play (context running, voices
/// scheduled, sound at the output), WAV/MIDI/JSON export, reload persistence, offline reload, a share link opened in
/// a fresh profile, the service-worker update prompt, and the phone width. What an engine cannot do is skipped by
/// name, with the reason (and listed in the README's browser table).</summary>
public abstract class CrossEngineSuite<TEngine>(EngineFixture<TEngine> fixture) where TEngine : IBrowserEngine, new()
{
    protected IBrowserEngine Engine => fixture.Engine;
    protected AppHost Host => fixture.Host;

    private Task<AppTab> OpenAsync(int width = 1280, int height = 900) =>
        AppTab.OpenAsync(Engine, Host.BaseUrl + "/", Host.BaseUrl, width, height);

    [Fact]
    public async Task Loads_toggles_a_step_and_undoes_it()
    {
        await using var tab = await OpenAsync();
        var before = await tab.PressedAsync(0, 2);
        Assert.NotNull(before);
        await tab.Page.ClickAsync(AppTab.StepSelector(0, 2) + " .dot");
        await tab.WaitAsync("(s, b) => document.querySelector(s).getAttribute('aria-pressed') !== b", "the step toggled", 10, AppTab.StepSelector(0, 2), before);
        await tab.ClickButtonAsync("Undo");
        await tab.WaitAsync("(s, b) => document.querySelector(s).getAttribute('aria-pressed') === b", "undo restored the step", 10, AppTab.StepSelector(0, 2), before);
    }

    [Fact]
    public async Task Plays_with_a_running_context_scheduled_voices_and_sound_at_the_output()
    {
        await using var tab = await OpenAsync();
        await tab.ClickButtonAsync("Play");
        await tab.WaitAsync("() => globalThis.__orbitrContexts.at(-1)?.state === 'running'", "the AudioContext runs", 20);
        await tab.WaitAsync("() => globalThis.__orbitrScheduled.filter(v => !v.cancelled).length >= 4", "voices are scheduled", 20);
        await tab.WaitAsync("() => globalThis.__orbitrPeakNow() > 0.001", "sound reaches the output", 20);
        await tab.ClickButtonAsync("Stop");
        await tab.WaitAsync("() => [...document.querySelectorAll('button')].some(b => b.textContent.trim() === 'Play')", "the transport stopped", 10);
        Assert.Equal(0, await tab.EvalAsync<int>("() => document.querySelectorAll('.notice[data-code]').length"));
    }

    [Fact]
    public async Task Exports_a_wav_that_matches_the_cli_and_valid_midi_and_json()
    {
        await using var tab = await OpenAsync();
        var p = NullPattern();
        await tab.DropPatternAsync("export.json", PatternJson.Write(p));
        await tab.WaitAsync("() => document.querySelector('.name-field input')?.value === 'Export check'", "the pattern is imported", 20);
        await tab.ClickButtonAsync("Export");
        await tab.EvalAsync("""
            () => { const s = document.querySelector('select[aria-label="WAV format"]'); s.value = 'Float32';
              s.dispatchEvent(new Event('change', { bubbles: true })); return true; }
            """);

        var wav = await tab.DownloadAsync(".wav", () => tab.ClickButtonAsync("Export WAV"));
        var browser = WavReader.Read(new MemoryStream(wav));
        var cliPath = CliRender(p);
        var cli = WavReader.ReadFile(cliPath);
        Assert.Equal(cli.SampleRate, browser.SampleRate);
        Assert.Equal(cli.Length, browser.Length);
        var residual = 0.0;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < cli.Length; i++) residual = Math.Max(residual, Math.Abs(browser.Channel(c)[i] - cli.Channel(c)[i]));
        var db = 20 * Math.Log10(Math.Max(residual, 1e-12));
        Console.WriteLine($"{Engine.Name}: browser export vs orbitr render, residual {db:F1} dBFS");
        Assert.True(db < NullLimitDb, $"{Engine.Name} export residual {db:F1} dBFS (limit {NullLimitDb} dBFS)");

        await tab.ClickButtonAsync("Export");
        var midi = await tab.DownloadAsync(".mid", () => tab.ClickButtonAsync("Export MIDI"));
        Assert.Equal("MThd", Encoding.ASCII.GetString(midi, 0, 4));
        var file = new NAudio.Midi.MidiFile(new MemoryStream(midi), strictChecking: true);
        Assert.True(file.Events.Tracks >= 2);

        await tab.ClickButtonAsync("Export");
        var json = await tab.DownloadAsync(".json", () => tab.ClickButtonAsync("Export JSON"));
        var back = PatternJson.Read(Encoding.UTF8.GetString(json)).Pattern!;
        Assert.Equal(p.Tracks.Count, back.Tracks.Count);
        Assert.Equal("Export check", back.Name);
    }

    /// <summary>How close this engine's WAV export comes to `orbitr render` (dBFS of the largest sample difference).</summary>
    protected virtual double NullLimitDb => -90;

    [Fact]
    public async Task An_edit_survives_a_reload_and_an_offline_reload()
    {
        await using var tab = await OpenAsync();
        var before = await tab.PressedAsync(1, 5);
        await tab.Page.ClickAsync(AppTab.StepSelector(1, 5) + " .dot");
        await tab.WaitAsync("(s, b) => document.querySelector(s).getAttribute('aria-pressed') !== b", "the step toggled", 10, AppTab.StepSelector(1, 5), before);
        var after = await tab.PressedAsync(1, 5);
        // Saved to IndexedDB shortly after the edit.
        await Task.Delay(1500);
        await tab.ReloadAsync();
        Assert.Equal(after, await tab.PressedAsync(1, 5));

        await tab.WaitAsync("() => !!navigator.serviceWorker?.controller", "the service worker controls the page", 60);
        await Host.StopAsync();
        try
        {
            await tab.ReloadAsync();
            Assert.Equal(after, await tab.PressedAsync(1, 5));
        }
        finally
        {
            await Host.StartAsync();
        }
    }

    [Fact]
    public async Task A_reload_never_shows_another_pattern_before_the_saved_one()
    {
        await using var tab = await OpenAsync();
        var p = PatternFactory.Create(5, seed: 9, name: "Saved five");
        for (var t = 0; t < 5; t++) p = PatternEditor.SetStepActive(PatternEditor.SetTrackLength(p, t, 12), t, 0, true);
        await tab.DropPatternAsync("five.json", PatternJson.Write(p));
        await tab.WaitAsync("() => document.querySelectorAll('svg.sequencer [data-step]').length === 60", "the pattern is imported", 20);
        await Task.Delay(1500); // saved to IndexedDB shortly after the edit

        // Sample what the page shows as it loads (as fast as the driver can ask) until the app is ready.
        await tab.Page.ReloadAsync();
        var seen = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            var state = await tab.EvalAsync<int[]>("""
                () => [[...document.querySelectorAll('svg.sequencer [data-step]')].filter(s => getComputedStyle(s).visibility === 'visible').length,
                  document.querySelector('.app.ready') ? 1 : 0]
                """);
            seen.Add(state[0]);
            if (state[1] == 1) break;
        }
        await tab.WaitReadyAsync();
        Assert.True(seen.Count > 0);
        Assert.All(seen.Where(n => n > 0), n => Assert.Equal(60, n));
        Assert.Equal(60, await tab.EvalAsync<int>("() => document.querySelectorAll('svg.sequencer [data-step]').length"));
    }

    [Fact]
    public async Task A_share_link_opens_the_pattern_in_a_fresh_profile()
    {
        string link;
        var p = PatternEditor.SetStepActive(PatternFactory.Create(5, seed: 4, name: "Shared five"), 4, 7, true);
        await using (var tab = await OpenAsync())
        {
            await tab.DropPatternAsync("shared.json", PatternJson.Write(p));
            await tab.WaitAsync("() => document.querySelectorAll('svg.sequencer [data-track=\"4\"]').length > 0", "the pattern is imported", 20);
            await tab.ClickButtonAsync("Share");
            await tab.ClickButtonAsync("Share link");
            await tab.WaitAsync("() => !!document.querySelector('input.share-link')?.value", "a share link", 30);
            link = await tab.EvalAsync<string>("() => document.querySelector('input.share-link').value");
        }
        Assert.StartsWith(Host.BaseUrl, link);
        await using var fresh = await AppTab.OpenAsync(Engine, link, Host.BaseUrl);
        await fresh.WaitAsync("() => document.querySelectorAll('svg.sequencer [data-track=\"4\"]').length > 0", "the shared pattern's fifth ring", 30);
        Assert.Equal("true", await fresh.PressedAsync(4, 7));
    }

    [Fact]
    public async Task The_update_prompt_shows_only_for_a_new_version()
    {
        var dll = await PublishedApp.CopyAsync(await PublishedApp.FolderAsync(AppHost.RepoRoot()));
        await using var own = new AppHost(dll);
        await own.StartAsync();
        try
        {
            await using var tab = await AppTab.OpenAsync(Engine, own.BaseUrl + "/", own.BaseUrl);
            await tab.WaitAsync("() => !!navigator.serviceWorker?.controller", "the service worker controls the page", 60);
            await Task.Delay(1500);
            Assert.Equal(0, await tab.EvalAsync<int>("() => document.querySelectorAll('.update-prompt').length"));

            PublishedApp.ReleaseNewVersion(dll, "cross-engine-2");
            await own.StopAsync();
            await own.StartAsync();
            await tab.EvalAsync("() => import('/js/pwa.js').then(m => m.checkForUpdate()).then(() => true)");
            await tab.WaitAsync("() => document.querySelector('.update-prompt')?.textContent.includes('A new version of Orbitr is ready') === true", "the update prompt", 60);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dll)!, recursive: true);
        }
    }

    /// <summary>Why this engine cannot be tested at 390 px, if it cannot.</summary>
    protected virtual string? PhoneWidthSkipReason => null;

    [SkippableFact]
    public async Task At_phone_width_the_page_does_not_scroll_sideways_and_the_ring_zoom_is_there()
    {
        Skip.If(PhoneWidthSkipReason is not null, PhoneWidthSkipReason);
        await using var tab = await OpenAsync(390, 844);
        var layout = await tab.EvalAsync<PhoneLayout>("""
            () => {
              const play = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Play').getBoundingClientRect();
              const zoom = document.querySelector('.ring-zoom');
              return { width: innerWidth, scrollWidth: document.documentElement.scrollWidth, playBottom: play.bottom, playRight: play.right, height: innerHeight,
                zoomSteps: zoom ? zoom.querySelectorAll('[data-zoom-step]').length : 0 };
            }
            """);
        Assert.True(layout.ScrollWidth <= layout.Width, $"the page is {layout.ScrollWidth} px wide in a {layout.Width} px viewport");
        // Play within the first screen is issue 23's (today it is below the rings); here: it is there, inside the width.
        Assert.True(layout.PlayRight <= layout.Width && layout.PlayBottom > 0, $"Play at right {layout.PlayRight} px");
        Assert.True(layout.ZoomSteps > 0, "the selected ring's steps are there to tap");
    }

    private sealed record PhoneLayout(double Width, double ScrollWidth, double PlayBottom, double PlayRight, double Height, int ZoomSteps);

    // Velocity and pan on a few steps, the limiter on: the export's null check.
    private static Pattern NullPattern()
    {
        var p = PatternFactory.Create(4, seed: 11, name: "Export check") with { Bpm = 128 };
        // The browsers' DynamicsCompressorNode is each engine's own (Chromium's delays by 6 ms): off, as in the E2E null test.
        p = p with { Master = p.Master with { Compressor = p.Master.Compressor with { Enabled = false } } };
        for (var s = 0; s < 16; s += 4) p = PatternEditor.SetStepActive(p, 0, s, true);
        for (var s = 2; s < 16; s += 4) p = PatternEditor.UpdateStep(p, 1, s, st => st with { Active = true, Velocity = 70 + s });
        p = PatternEditor.SetTrackPan(p, 1, -0.5);
        return p;
    }

    private static string CliRender(Pattern p)
    {
        var dir = Directory.CreateTempSubdirectory("orbitr-browsers-null-").FullName;
        var file = Path.Combine(dir, "p.json");
        File.WriteAllText(file, PatternJson.Write(p));
        var wav = Path.Combine(dir, "cli.wav");
        var code = Orbitr.Cli.OrbitrCli.Run(["render", file, "-o", wav, "--cycles", "1", "--format", "32f"], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, code);
        return wav;
    }
}

[Trait("Engine", "chromium")]
public sealed class ChromiumSuite(EngineFixture<ChromiumEngine> fixture) : CrossEngineSuite<ChromiumEngine>(fixture), IClassFixture<EngineFixture<ChromiumEngine>>;

[Trait("Engine", "firefox")]
public sealed class FirefoxSuite(EngineFixture<FirefoxEngine> fixture) : CrossEngineSuite<FirefoxEngine>(fixture), IClassFixture<EngineFixture<FirefoxEngine>>;

[Trait("Engine", "webkit")]
public sealed class WebKitSuite(EngineFixture<WebKitEngine> fixture) : CrossEngineSuite<WebKitEngine>(fixture), IClassFixture<EngineFixture<WebKitEngine>>
{
    protected override string? PhoneWidthSkipReason =>
        "MiniBrowser's window cannot be made narrower than 447 px (its toolbar), so WebKit is not tested at 390 px";
}
