using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Benchmarks;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Rendering;

// Renders the same 60 s of notes with the C# OfflineRenderer and with Chromium's OfflineAudioContext in one run,
// and prints both realtime factors and their ratio.
const int rate = 44100;
const double seconds = 60;
var pattern = BenchPatterns.Busy(16, effects: true);
pattern = pattern with { Master = pattern.Master with { Compressor = pattern.Master.Compressor with { Enabled = false }, Limiter = pattern.Master.Limiter with { Enabled = false } } };
var cycles = BenchPatterns.Cycles(pattern, seconds);
var samples = BenchPatterns.Kit(pattern, rate);

var csharp = double.MaxValue;
for (var i = 0; i < 3; i++)
{
    var sw = Stopwatch.StartNew();
    OfflineRenderer.Render(pattern, samples, new RenderOptions(rate, cycles, TailSeconds: 0));
    csharp = Math.Min(csharp, sw.Elapsed.TotalMilliseconds);
}

var job = ChromiumRenderJob.Build(pattern, cycles, rate, samples.ToDictionary(s => s.Key, s => s.Value.Channel(0)));
var noteCount = Scheduler.EventsForCycles(pattern, cycles).Count;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
});
var page = await browser.NewPageAsync();
await page.SetContentAsync("<!doctype html><title>render</title>");
var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", "render.js"));
await page.AddScriptTagAsync(new() { Content = script.Replace("export async function", "window.renderNotes = async function") });
var json = JsonSerializer.Serialize(job);
var chromium = double.MaxValue;
for (var i = 0; i < 3; i++)
{
    var result = await page.EvaluateAsync<JsonElement>("a => window.renderNotes(JSON.parse(a))", json);
    chromium = Math.Min(chromium, result.GetProperty("ms").GetDouble());
}
Console.WriteLine($"notes: {noteCount}, music: {cycles * pattern.CycleSeconds:0.0} s at {rate} Hz, best of 3");
Console.WriteLine($"C# OfflineRenderer:            {csharp,8:0.0} ms = {seconds * 1000 / csharp,6:0.0}x realtime");
Console.WriteLine($"Chromium OfflineAudioContext: {chromium,8:0.0} ms = {seconds * 1000 / chromium,6:0.0}x realtime");
Console.WriteLine($"ratio C#/Chromium speed: {chromium / csharp:0.00}");
