using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

// Publishes Orbitr.Server (trimmed, brotli), serves it on loopback and measures in headless Chromium:
// 1. cold, warm and offline visits (the service worker's copy): bytes transferred, FCP, LCP, time until a step click
//    has toggled the step;
// 2. 60 s of playback at 200 BPM, 8 tracks × 64 steps all on: late notes, scheduling lead, frame intervals, heap, CPU
//    (renderer main-thread busy time from the Performance domain), renderer memory against a blank tab; then 60 s more
//    while a page script blocks the main thread for 300 ms every 2 s (late and missing notes), and the time from a
//    step click to its voice (issue 21);
// 3. the browser WAV export (60 s: 8 tracks × 16ths at 128 BPM, 32 cycles) click to download, against Chromium's own
//    OfflineAudioContext rendering the same notes in the same page (best of 3 each).
//
// Other modes: --profile (where the main thread's time and the memory go during playback), --first-load [--runs N]
// (cold first visits of Orbitr against a trimmed Blazor hello-world, issue 23); --no-publish reuses the last publish.
var root = FindRepoRoot();
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        dotnet run -c Release --project bench/web -- [--no-publish] [--upfront]   visits, playback, stalls, edit to voice, WAV export
        dotnet run -c Release --project bench/web -- [--no-publish] --profile     CPU profile, trace and memory during dense playback
        dotnet run -c Release --project bench/web -- [--no-publish] --first-load [--runs N]
                                     cold first visits of Orbitr against a trimmed Blazor WebAssembly hello-world
                                     (bench/web/HelloWorld), N of each (default 5): bytes, LCP, CLS, first click
        """);
    return;
}
if (args.Contains("--first-load"))
{
    await FirstLoad.RunAsync(root, args);
    return;
}
var publish = Path.Combine(Path.GetTempPath(), "orbitr-bench-web");
if (args.Contains("--no-publish") is false)
{
    Console.WriteLine("publishing Orbitr.Server…");
    Run("dotnet", $"publish \"{Path.Combine(root, "src", "Orbitr.Server")}\" -c Release -o \"{publish}\" -nologo -v q");
}
var port = 5099;
var url = $"http://127.0.0.1:{port}";
using var server = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(publish, "Orbitr.Server.dll"), "--urls", url])
{
    WorkingDirectory = publish, RedirectStandardOutput = true, RedirectStandardError = true,
    Environment = { ["Logging__LogLevel__Default"] = "Warning", ["Orbitr__DataPath"] = Directory.CreateTempSubdirectory().FullName },
})!;
// An exception must not leave the server running (a later run would talk to it).
using var stopServer = new ServerStop(server);
using (var http = new HttpClient())
    for (var i = 0; ; i++)
    {
        try { if ((await http.GetAsync($"{url}/api/health")).IsSuccessStatusCode) break; }
        catch (HttpRequestException) when (i < 200) { await Task.Delay(100); }
    }

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required", "--disable-background-networking"],
});

if (args.Contains("--profile"))
{
    await Profile.RunAsync(browser, url, seconds: 20);
    server.Kill(entireProcessTree: true);
    return;
}

// ---- 1. visits ----
var context = await browser.NewContextAsync(new() { BaseURL = url, ViewportSize = new() { Width = 1280, Height = 900 } });
// The E2E tests' Web Audio instrumentation (the app ships no test hooks).
await context.AddInitScriptAsync(File.ReadAllText(Path.Combine(root, "tests", "Shared", "orbitr-instrument.js")));
await context.AddInitScriptAsync("""
    window.__lcp = 0;
    new PerformanceObserver(l => { for (const e of l.getEntries()) window.__lcp = e.startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true });
    """);
var page = await context.NewPageAsync();
var cdp = await context.NewCDPSessionAsync(page);
await cdp.SendAsync("Network.enable");
long bytes = 0;
cdp.Event("Network.loadingFinished").OnEvent += (_, e) => { if (e is { } j) Interlocked.Add(ref bytes, (long)j.GetProperty("encodedDataLength").GetDouble()); };

async Task<(double Fcp, double Lcp, double Interactive, long Bytes)> VisitAsync(bool reload)
{
    Interlocked.Exchange(ref bytes, 0);
    if (reload) await page.ReloadAsync(); else await page.GotoAsync("/");
    await page.Locator(".app.ready").WaitForAsync(new() { Timeout = 60_000 });
    var step = page.GetByRole(AriaRole.Button, new() { Name = "Track 2 step 2", Exact = true });
    var before = await step.GetAttributeAsync("aria-pressed");
    await step.ClickAsync();
    await Assertions.Expect(step).Not.ToHaveAttributeAsync("aria-pressed", before!);
    var interactive = await page.EvaluateAsync<double>("() => performance.now()");
    await page.WaitForTimeoutAsync(500);
    var fcp = await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
    var lcp = await page.EvaluateAsync<double>("() => window.__lcp");
    return (fcp, lcp, interactive, Interlocked.Read(ref bytes));
}
var cold = await VisitAsync(reload: false);
// The first visit installs the service worker in the background; measure the next visits once it is in control.
await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 60_000 });
var warm = await VisitAsync(reload: true);
await context.SetOfflineAsync(true);
var offline = await VisitAsync(reload: true);
await context.SetOfflineAsync(false);

// ---- 2. 60 s of playback ----
var pattern = BenchPage.Dense();
await BenchPage.DropAsync(page, "bench.json", pattern);
await cdp.SendAsync("Performance.enable");
var before = await Metrics();
await page.EvaluateAsync("() => { window.__orbitrScheduled = []; }");
// Renderer memory while playing against a blank tab of the same browser: the resident set of each renderer process
// (CDP SystemInfo's process list → /proc), read 55 s into the playback.
// The blank tab's renderer is the process that appears with it; the app's is the largest of those before it.
var withoutBlank = await BenchPage.RendererRssAsync(browser);
var blankContext = await browser.NewContextAsync();
var blank = await blankContext.NewPageAsync();
await blank.GotoAsync("about:blank");
await blank.EvaluateAsync("() => 1");
await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
var playedFrom = Stopwatch.StartNew();
await page.WaitForTimeoutAsync(55_000);
var renderers = await BenchPage.RendererRssAsync(browser);
var appRss = renderers.Where(r => withoutBlank.ContainsKey(r.Key)).Max(r => r.Value);
var blankRss = renderers.Where(r => !withoutBlank.ContainsKey(r.Key)).Select(r => r.Value).DefaultIfEmpty(0).Max();
await page.WaitForTimeoutAsync(5_000);
await blankContext.CloseAsync();
// Frame intervals: 10 s more, measured apart from the busy time (the measuring loop is main-thread work of its own).
var after = await Metrics();
await page.EvaluateAsync("() => { window.__orbitrFrames = []; window.__orbitrMeasureFrames(true); }");
await page.WaitForTimeoutAsync(10_000);
await page.EvaluateAsync("() => window.__orbitrMeasureFrames(false)");
await page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
var played = playedFrom.Elapsed.TotalSeconds - 10;
var scheduled = JsonSerializer.Deserialize<List<JsonElement>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__orbitrScheduled.filter(v => !v.cancelled))"))!;
var leads = scheduled.Select(e => (e.GetProperty("time").GetDouble() - e.GetProperty("at").GetDouble()) * 1000).Order().ToList();
var late = leads.Count(l => l <= 0);
var frames = JsonSerializer.Deserialize<List<double>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__orbitrFrames)"))!.Order().ToList();

// ---- 2b. the same 60 s while a script blocks the main thread for 300 ms every 2 s ----
await page.EvaluateAsync("() => { window.__orbitrScheduled = []; }");
await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
await page.EvaluateAsync("""
    () => { window.__stalls = []; window.__stall = setInterval(() => {
      const t = performance.now(); while (performance.now() - t < 300) { } window.__stalls.push(performance.now() - t); }, 2000); }
    """);
await page.WaitForTimeoutAsync(60_000);
var stalls = await page.EvaluateAsync<double[]>("() => { clearInterval(window.__stall); return window.__stalls; }");
await page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).WaitForAsync();
var stalled = JsonSerializer.Deserialize<List<JsonElement>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__orbitrScheduled.filter(v => !v.cancelled && v.track >= 0))"))!;
var stallStop = await page.EvaluateAsync<double>("() => window.__orbitrLastStopAt");
var stallOrigin = stalled.Min(e => e.GetProperty("time").GetDouble());
var stallExpected = Orbitr.Core.Scheduling.Scheduler.EventsBetween(pattern, 0, stallStop - stallOrigin).Count;
var stallLate = stalled.Count(e => e.GetProperty("at").GetDouble() >= e.GetProperty("time").GetDouble());
var stallLead = stalled.Min(e => e.GetProperty("time").GetDouble() - e.GetProperty("at").GetDouble()) * 1000;

// ---- 2c. edit to voice: a step 220–350 ms ahead is pressed during playback (60 BPM, 4 rings); time from the
// pointerdown to the start() of its voice, 8 presses ----
var sparse = PatternEditor.SetStepActive(PatternFactory.Create(4, seed: 3, name: "Bench edit") with { Bpm = 60 }, 0, 0, true);
await BenchPage.DropAsync(page, "edit.json", sparse);
await page.EvaluateAsync("() => { window.__orbitrScheduled = []; }");
await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
await page.WaitForFunctionAsync("() => window.__orbitrScheduled.some(v => v.track === 0)");
var editMs = new List<double>();
for (var k = 0; k < 8; k++)
{
    editMs.Add(await page.EvaluateAsync<double>("""
        () => new Promise((resolve) => {
          const ctx = window.__orbitrContexts.at(-1);
          const origin = Math.min(...window.__orbitrScheduled.filter(v => v.track === 0).map(v => v.time));
          const poll = () => {
            const now = ctx.currentTime;
            const n = Math.ceil((now + 0.22 - origin) / 0.25);
            const due = origin + n * 0.25;
            if (due - now > 0.35 || n % 16 === 0) { setTimeout(poll, 2); return; }
            const el = document.querySelector(`[data-track="0"][data-step="${n % 16}"]`);
            const perf = performance.now();
            const init = { bubbles: true, button: 0, isPrimary: true, pointerType: 'mouse' };
            el.dispatchEvent(new PointerEvent('pointerdown', init));
            el.dispatchEvent(new PointerEvent('pointerup', init));
            const wait = () => {
              const v = window.__orbitrScheduled.find(r => r.track === 0 && Math.abs(r.time - due) < 1e-6 && r.perf >= perf);
              if (v) resolve(v.perf - perf); else if (performance.now() - perf > 1000) resolve(NaN); else setTimeout(wait, 1);
            };
            wait();
          };
          poll();
        })
        """));
    await page.WaitForTimeoutAsync(400);
}
await page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
editMs.Sort();

// ---- 3. WAV export: 60 s of 8 tracks × 16ths ----
var exportPattern = PatternFactory.Create(8, seed: 2, name: "Bench export") with { Bpm = 128 };
for (var t = 0; t < 8; t++)
    for (var s = 0; s < 16; s++) exportPattern = PatternEditor.SetStepActive(exportPattern, t, s, true);
await BenchPage.DropAsync(page, "export.json", exportPattern);
await page.GetByLabel("Export cycles").SelectOptionAsync("32");
var audioSeconds = 32 * exportPattern.CycleSeconds;
// Phases in the page: click (capture listener) → C# has the notes and calls audio.js → rendered → encoded → downloaded.
await page.EvaluateAsync("() => document.addEventListener('click', e => { if (e.target.closest('button')?.textContent === 'Export WAV') window.__clickAt = performance.now(); }, true)");
var exports = new List<ExportRun>();
var rawWindowed = new List<double>();
var rawLimited = new List<double>();
for (var run = 0; run < 3; run++)
{
    var exportClock = Stopwatch.StartNew();
    var download = await page.RunAndWaitForDownloadAsync(async () =>
        await page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).ClickAsync(), new() { Timeout = 600_000 });
    var clickToDownload = exportClock.Elapsed.TotalMilliseconds;
    await download.PathAsync();
    await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" })).ToBeEnabledAsync();
    var ph = await page.EvaluateAsync<JsonElement>("() => window.__orbitrAudio().then(m => ({ click: window.__clickAt, ...m.exportTimings() }))");
    double P(string name) => ph.GetProperty(name).GetDouble();
    exports.Add(new(clickToDownload, P("started") - P("click"), P("rendered") - P("renderStarted"), P("encoded") - P("rendered"), P("downloaded") - P("click")));
    rawWindowed.Add(await page.EvaluateAsync<double>("() => window.__orbitrAudio().then(m => m.rawRender(false, false))"));
    rawLimited.Add(await page.EvaluateAsync<double>("() => window.__orbitrAudio().then(m => m.rawRender(false, true))"));
}
// Creating all 4,096 voices up front is the slow way to drive Chromium (minutes): measured once, with --upfront.
var rawUpfront = args.Contains("--upfront") ? await page.EvaluateAsync<double>("() => window.__orbitrAudio().then(m => m.rawRender(true, false))") : double.NaN;
var bestExport = exports.Min(e => e.ClickToDownload);
var bestRaw = rawWindowed.Min();

Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Chromium {browser.Version}");
Console.WriteLine($"cold visit: {cold.Bytes / 1e6:0.00} MB transferred, FCP {cold.Fcp:0} ms, LCP {cold.Lcp:0} ms, step click toggled at {cold.Interactive:0} ms");
Console.WriteLine($"warm visit (service worker): {warm.Bytes / 1e6:0.00} MB transferred, FCP {warm.Fcp:0} ms, LCP {warm.Lcp:0} ms, step click toggled at {warm.Interactive:0} ms");
Console.WriteLine($"offline visit (network off): {offline.Bytes / 1e6:0.00} MB transferred, FCP {offline.Fcp:0} ms, LCP {offline.Lcp:0} ms, step click toggled at {offline.Interactive:0} ms");
Console.WriteLine($"playback {played:0.0} s at 200 BPM, 8×64 steps: {scheduled.Count} notes, {late} late, lead min {leads[0]:0.0} ms, p1 {Percentile(leads, 0.01):0.0} ms, median {Percentile(leads, 0.5):0.0} ms");
Console.WriteLine($"frame interval: p50 {Percentile(frames, 0.5):0.0} ms, p99 {Percentile(frames, 0.99):0.0} ms ({frames.Count} frames)");
Console.WriteLine($"JS heap: {after["JSHeapUsedSize"] / 1e6:0.0} MB used of {after["JSHeapTotalSize"] / 1e6:0.0} MB; main thread busy {100 * (after["TaskDuration"] - before["TaskDuration"]) / played:0.0} % (script {100 * (after["ScriptDuration"] - before["ScriptDuration"]) / played:0.0} %)");
Console.WriteLine($"renderer memory while playing: app tab {appRss / 1e6:0} MB resident, blank tab {blankRss / 1e6:0} MB: +{(appRss - blankRss) / 1e6:0} MB ({renderers.Count} renderer processes)");
Console.WriteLine($"playback 60 s with a 300 ms main-thread block every 2 s ({stalls.Length} blocks, longest {stalls.Max():0} ms): {stalled.Count} notes of {stallExpected} expected, {stallLate} late, least lead {stallLead:0.0} ms");
Console.WriteLine($"edit to voice (pointerdown to the new step's start()): median {Percentile(editMs, 0.5):0.0} ms, max {editMs.Max():0.0} ms ({editMs.Count} presses)");
Console.WriteLine($"WAV export of {audioSeconds:0.0} s (8 tracks x 16ths, 16-bit), click to download, 3 runs: {string.Join(" / ", exports.Select(e => $"{e.ClickToDownload:0} ms"))}; " +
    $"best {bestExport:0} ms = {audioSeconds * 1000 / bestExport:0.0}x realtime");
foreach (var e in exports)
    Console.WriteLine($"  in the page: C# notes {e.Notes:0} ms, render (with limiter) {e.Render:0} ms, tail + WAV in the worker {e.Encode:0} ms, click to download {e.InPage:0} ms");
Console.WriteLine($"raw OfflineAudioContext, same notes and voice chains: {string.Join(" / ", rawWindowed.Select(v => $"{v:0}"))} ms; with the limiter worklet {string.Join(" / ", rawLimited.Select(v => $"{v:0}"))} ms" +
    (double.IsNaN(rawUpfront) ? "" : $"; every voice up front {rawUpfront:0} ms") + $"; best {bestRaw:0} ms = {audioSeconds * 1000 / bestRaw:0.0}x realtime");
Console.WriteLine($"export (click to download) / raw render = {bestExport / bestRaw:0.00}");

server.Kill(entireProcessTree: true);
return;

async Task<Dictionary<string, double>> Metrics()
{
    var m = await cdp.SendAsync("Performance.getMetrics");
    return m!.Value.GetProperty("metrics").EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!, x => x.GetProperty("value").GetDouble());
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static void Run(string file, string arguments)
{
    using var p = Process.Start(new ProcessStartInfo(file, arguments))!;
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} exited with {p.ExitCode}");
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
    return dir?.FullName ?? throw new DirectoryNotFoundException("Orbitr.slnx not found");
}

internal sealed record ExportRun(double ClickToDownload, double Notes, double Render, double Encode, double InPage);

internal sealed class ServerStop(Process server) : IDisposable
{
    public void Dispose() { if (!server.HasExited) server.Kill(entireProcessTree: true); }
}
