using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Tests.Published;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Offline-first (issue 15 §1): after one visit the app loads, edits and plays with the network off, and a new
/// version of the app is offered, never half-applied.</summary>
[Collection(AppCollection.Name)]
public sealed class OfflineTests(AppServer server)
{
    /// <summary>Waits until a service worker controls the page and has finished caching the app.</summary>
    internal static async Task WaitForOfflineCopyAsync(AppPage app) =>
        await app.Page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 60_000 });

    [Fact]
    public async Task After_one_visit_the_app_loads_edits_and_plays_with_the_network_off()
    {
        await using var app = await server.OpenAsync();
        await WaitForOfflineCopyAsync(app);
        await app.Step(1, 2).ClickAsync();
        await app.ExpectStepAsync(1, 2, true);
        await app.WaitForSavedAsync(p => p.Tracks[0].Steps[1].Active);

        await app.Context.SetOfflineAsync(true);
        var failed = new List<string>();
        app.Page.RequestFailed += (_, r) => failed.Add(r.Url);
        await app.ReloadAsync();

        // The whole app came from the offline copy: the saved pattern is back and editable.
        await app.ExpectStepAsync(1, 2, true);
        await app.Step(1, 3).ClickAsync();
        await app.ExpectStepAsync(1, 3, true);
        Assert.DoesNotContain(failed, u => !u.Contains("/api/", StringComparison.Ordinal));

        // It plays: the kit is synthesized in the page, the scheduler hands the notes to Web Audio.
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.WaitForFunctionAsync("() => (window.__orbitrScheduled ?? []).length >= 4");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task The_worker_manifest_and_page_are_revalidated_and_the_app_is_installable()
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        foreach (var path in new[] { "/service-worker.js", "/service-worker-assets.js", "/", "/manifest.webmanifest" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoCache, $"{path} must be revalidated");
            var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            Assert.DoesNotContain("unsafe-inline", csp.Split("style-src")[0]); // scripts: never inline
            Assert.Contains("worker-src 'self'", csp);
        }
        var manifestResponse = await http.GetAsync("/manifest.webmanifest");
        Assert.Equal("application/manifest+json", manifestResponse.Content.Headers.ContentType?.MediaType);
        using var manifest = JsonDocument.Parse(await manifestResponse.Content.ReadAsStringAsync());
        Assert.Equal("Orbitr", manifest.RootElement.GetProperty("name").GetString());
        Assert.Equal("standalone", manifest.RootElement.GetProperty("display").GetString());
        var sizes = manifest.RootElement.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("sizes").GetString()).ToList();
        Assert.Contains("192x192", sizes);
        Assert.Contains("512x512", sizes);
        foreach (var icon in manifest.RootElement.GetProperty("icons").EnumerateArray())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/" + icon.GetProperty("src").GetString())).StatusCode);

        // Chromium reads the manifest from the page (what "Install app" uses) and finds no errors in it.
        await using var app = await server.OpenAsync();
        var href = await app.Page.EvaluateAsync<string>("() => document.querySelector('link[rel=manifest]').href");
        Assert.EndsWith("/manifest.webmanifest", href);
        var session = await app.Context.NewCDPSessionAsync(app.Page);
        var result = await session.SendAsync("Page.getAppManifest");
        Assert.Equal(0, result!.Value.GetProperty("errors").GetArrayLength());
        Assert.EndsWith("/manifest.webmanifest", result.Value.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_new_version_is_offered_and_taken_only_when_the_user_reloads()
    {
        var folder = await PublishedApp.FolderAsync(server.RepoRoot);
        var dll = await PublishedApp.CopyAsync(folder);
        var own = new AppServer(new Dictionary<string, string>(), dll);
        await own.InitializeAsync();
        try
        {
            await using var app = await own.OpenAsync();
            await WaitForOfflineCopyAsync(app);
            var before = await CacheNamesAsync(app);
            Assert.Single(before);
            // The first install is not an update: no prompt (WebKit showed one on every first visit, issue 22).
            var prompt = app.Page.Locator(".update-prompt");
            await app.Page.WaitForTimeoutAsync(1000);
            await Assertions.Expect(prompt).ToHaveCountAsync(0);
            await app.Step(1, 2).ClickAsync();
            await app.ExpectStepAsync(1, 2, true);
            await app.WaitForSavedAsync(p => p.Tracks[0].Steps[1].Active);

            // A deployment: same address, a new version of the app.
            PublishedApp.ReleaseNewVersion(dll, "next-version-1");
            await own.RestartServerAsync();
            await app.Page.EvaluateAsync("() => import('/js/pwa.js').then(m => m.checkForUpdate())");

            await Assertions.Expect(prompt).ToContainTextAsync("A new version of Orbitr is ready", new() { Timeout = 60_000 });
            // Not applied yet: the page still runs on the old copy, which is still there.
            Assert.Contains(before[0], await CacheNamesAsync(app));

            await prompt.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            await app.Page.WaitForFunctionAsync("() => caches.keys().then(k => k.includes('orbitr-app-next-version-1') && k.length === 1)",
                null, new() { Timeout = 60_000 });
            await app.WaitReadyAsync();
            await app.ExpectStepAsync(1, 2, true); // the user's pattern came through the update
            await Assertions.Expect(prompt).ToHaveCountAsync(0);
        }
        finally
        {
            await own.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(dll)!, recursive: true);
        }
    }

    private static byte[] Tone(int frames, double step) => Orbitr.Dsp.Wav.WavWriter.ToBytes(
        new Orbitr.Dsp.Audio.AudioBuffer([Enumerable.Range(0, frames).Select(i => (float)Math.Sin(i * step) * 0.5f).ToArray()], 44100),
        Orbitr.Dsp.Wav.WavSampleFormat.Pcm16);

    private static Task UploadAsync(AppPage app, string name, byte[] wav) =>
        app.Page.Locator("input[type=file][aria-label='Upload a sample']").SetInputFilesAsync(new FilePayload { Name = name + ".wav", MimeType = "audio/wav", Buffer = wav });

    /// <summary>Plays ~1 s and returns the frame counts of the buffers scheduled on a track (a note is only scheduled
    /// when its buffer is there).</summary>
    private static async Task<int[]> PlayedFramesAsync(AppPage app, int track)
    {
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.WaitForFunctionAsync($"() => (window.__orbitrScheduled ?? []).filter(n => n.track === {track}).length >= 2");
        var frames = await app.Page.EvaluateAsync<int[]>($"() => window.__orbitrScheduled.filter(n => n.track === {track}).map(n => n.frames)");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        return frames;
    }

    [Fact]
    public async Task A_pattern_using_a_server_sound_plays_and_exports_with_the_network_off()
    {
        await using var app = await server.OpenAsync();
        await WaitForOfflineCopyAsync(app);
        var name = $"kept{Guid.NewGuid():N}"[..12];
        await UploadAsync(app, name, Tone(22050, 0.05));
        await app.Page.GetByRole(AriaRole.Button, new() { Name = $"Use {name} on the selected ring", Exact = true }).ClickAsync();
        var saved = await app.WaitForSavedAsync(p => p.Samples.Any(s => s.Ref.Kind == Orbitr.Core.Model.SampleSourceKind.Generated));
        var source = saved.Samples.First(s => s.Ref.Kind == Orbitr.Core.Model.SampleSourceKind.Generated).Ref.Source;
        // Fetched once for the player, and kept.
        await app.Page.WaitForFunctionAsync("s => caches.open('orbitr-sounds').then(c => c.match('/orbitr-sound/' + encodeURIComponent(s))).then(r => !!r)", source);
        // It is a pattern of the library; another one is being edited when the network goes.
        await app.SaveAsAsync("With my sound");
        await app.PatternListAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        await app.WaitForSavedAsync(p => p.Samples.All(s => s.Ref.Kind != Orbitr.Core.Model.SampleSourceKind.Generated));

        await app.Context.SetOfflineAsync(true);
        await app.ReloadAsync();
        await app.OpenPatternAsync("With my sound");
        Assert.All(await PlayedFramesAsync(app, 0), f => Assert.Equal(22050, f));
        await Assertions.Expect(app.Notice(1002)).ToHaveCountAsync(0);

        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.MenuItemAsync("Export", "Export WAV"), new() { Timeout = 60_000 });
        var wav = Orbitr.Dsp.Wav.WavReader.ReadFile((await download.PathAsync())!);
        // The uploaded tone (not the kit's kick) is on ring 1: its steady 0.5-amplitude sine is in the render.
        Assert.True(wav.Channel(0).Max() > 0.2f);
    }

    [Fact]
    public async Task An_upload_made_offline_is_usable_at_once_and_moves_to_the_server_when_it_is_back()
    {
        await using var app = await server.OpenAsync();
        await app.Context.SetOfflineAsync(true);
        var name = $"offline{Guid.NewGuid():N}"[..15];
        await UploadAsync(app, name, Tone(11025, 0.08));
        var item = app.Page.Locator("li.sample.upload", new() { HasText = name });
        await Assertions.Expect(item.Locator(".pending-tag")).ToHaveTextAsync("waiting to upload");
        await Assertions.Expect(item.Locator(".meta")).ToContainTextAsync("0.3 s");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = $"Use {name} on the selected ring", Exact = true }).ClickAsync();
        await app.WaitForSavedAsync(p => p.Samples.Any(s => s.Ref.Kind == Orbitr.Core.Model.SampleSourceKind.Local));
        Assert.All(await PlayedFramesAsync(app, 0), f => Assert.Equal(11025, f));

        // Back online: uploaded without the user doing anything; the pattern now refers to the server's sample.
        await app.Context.SetOfflineAsync(false);
        var moved = await app.WaitForSavedAsync(p => p.Samples.Any(s => s.Ref.Kind == Orbitr.Core.Model.SampleSourceKind.Generated && s.Ref.Name == name), 600);
        Assert.DoesNotContain(moved.Samples, s => s.Ref.Kind == Orbitr.Core.Model.SampleSourceKind.Local);
        await Assertions.Expect(item.Locator(".pending-tag")).ToHaveCountAsync(0);
        await Assertions.Expect(item).ToHaveCountAsync(1);
        var id = moved.Samples.First(s => s.Ref.Name == name).Ref.Value;
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/samples/{id}/audio")).StatusCode);
        // The local copy is gone; the server's audio is kept for the next time the network goes.
        var kept = await app.Page.EvaluateAsync<string[]>("() => caches.open('orbitr-sounds').then(c => c.keys()).then(k => k.map(r => decodeURIComponent(r.url)))");
        Assert.DoesNotContain(kept, k => k.Contains("local:", StringComparison.Ordinal));
        Assert.Contains(kept, k => k.EndsWith($"generated:{id}", StringComparison.Ordinal));
    }

    private static async Task<List<string>> CacheNamesAsync(AppPage app) =>
        [.. (await app.Page.EvaluateAsync<string[]>("() => caches.keys()")).Where(k => k.StartsWith("orbitr-app-", StringComparison.Ordinal))];
}
