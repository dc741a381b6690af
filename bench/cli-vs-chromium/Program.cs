using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orbitr.Benchmarks;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

// Whole-process `orbitr render` (the published CLI) against an OfflineAudioContext render of the same notes in
// headless Chromium, for 120 s of a busy pattern without and with effects; then the CLI's peak memory for 2, 30
// and 60 minutes of audio. Usage: dotnet run -c Release --project bench/cli-vs-chromium [-- --cli PATH]

const int Rate = 44100;
const int Cycles = 60; // 120 s at 120 BPM, 16 steps (2 s per cycle)
const int CliWarmups = 1, CliRuns = 5;
// With track volumes 0.8 the mix stays below the limiter's −1 dBFS ceiling even after the compressor's makeup gain
// (about −5 dBFS for both patterns; master 0.2 already reaches the ceiling).
const double MasterVolume = 0.1;

string? cliArg = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--cli" && i + 1 < args.Length) cliArg = args[++i];
    else
    {
        Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--cli PATH_TO_ORBITR_EXECUTABLE]");
        return 2;
    }
}

var work = Directory.CreateTempSubdirectory("orbitr-cli-vs-chromium-");
try
{
    // ---- 1. the CLI ----
    string cli;
    if (cliArg is not null)
    {
        cli = Path.GetFullPath(cliArg);
        if (!File.Exists(cli)) throw new BenchException($"--cli {cli} does not exist");
        Console.WriteLine($"CLI: {cli} (given)");
    }
    else
    {
        var root = FindRepoRoot();
        var publishDir = Path.Combine(work.FullName, "cli");
        Console.WriteLine($"publishing src/Orbitr.Cli (Release) to {publishDir} ...");
        var publish = await RunAsync("dotnet", ["publish", Path.Combine(root, "src", "Orbitr.Cli"), "-c", "Release", "-o", publishDir], root);
        if (publish.ExitCode != 0)
            throw new BenchException($"dotnet publish failed ({publish.ExitCode}):\n{publish.StdOut}\n{publish.StdErr}");
        cli = Path.Combine(publishDir, "orbitr");
        if (!File.Exists(cli)) throw new BenchException($"dotnet publish made no {cli}");
        Console.WriteLine($"publish took {publish.Ms / 1000:0.0} s");
    }

    // ---- 2. the patterns and their one sample ----
    var hit = HitSample();
    var cases = new List<Case>();
    foreach (var (name, effects) in new[] { ("plain", false), ("effects", true) })
    {
        var dir = Directory.CreateDirectory(Path.Combine(work.FullName, name)).FullName;
        var pattern = OneSample(BenchPatterns.Busy(16, effects), "hit", "hit.wav");
        await File.WriteAllBytesAsync(Path.Combine(dir, "hit.wav"), WavWriter.ToBytes(hit, WavSampleFormat.Pcm16));
        var file = Path.Combine(dir, "pattern.json");
        await File.WriteAllTextAsync(file, PatternJson.Write(pattern));
        cases.Add(new Case(name, pattern, file));
        Console.WriteLine($"{name}: {Scheduler.EventsForCycles(pattern, Cycles).Count} notes in {Cycles} cycles");
    }
    Console.WriteLine($"patterns: 8 tracks x 16 steps all on, 120 BPM, one 0.3 s sample (file:hit.wav), master volume {MasterVolume}, " +
                      $"compressor + limiter on; {Cycles} cycles = {Cycles * cases[0].Pattern.CycleSeconds:0} s at {Rate} Hz");

    // ---- 3. the CLI, whole process ----
    foreach (var c in cases)
    {
        var output = Path.Combine(Path.GetDirectoryName(c.File)!, "out.wav");
        string[] renderArgs = ["render", c.File, "-o", output, "--cycles", Cycles.ToString(CultureInfo.InvariantCulture),
                               "--sample-rate", Rate.ToString(CultureInfo.InvariantCulture)];
        var times = new List<double>();
        for (var i = 0; i < CliWarmups + CliRuns; i++)
        {
            var run = await RunAsync(cli, renderArgs);
            if (run.ExitCode != 0) throw new BenchException($"orbitr render ({c.Name}) exited with {run.ExitCode}:\n{run.StdOut}\n{run.StdErr}");
            if (i >= CliWarmups) times.Add(run.Ms);
            c.CliLine = run.StdOut.Trim();
        }
        c.Cli = times;
        var peak = Regex.Match(c.CliLine, @"peak (-?[0-9.]+|-?∞) dBFS");
        c.CliPeakDb = peak.Success && double.TryParse(peak.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var db) ? db : double.NaN;
        Console.WriteLine($"CLI {c.Name}: {c.CliLine}");
        Console.WriteLine($"CLI {c.Name}: {CliRuns} runs after {CliWarmups} warm-up: {Join(times)} ms");
        if (!(c.CliPeakDb < -1)) Console.WriteLine($"WARNING: {c.Name} peak {c.CliPeakDb:0.0} dBFS is not below -1 dBFS: the limiter is working");
        File.Delete(output);
    }

    // ---- 4. the same notes in Chromium ----
    using var playwright = await Playwright.CreateAsync();
    var script = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", "render.js")))
        .Replace("export async function", "window.renderNotes = async function", StringComparison.Ordinal);
    foreach (var c in cases)
    {
        var json = JobJson(c.Pattern, hit);
        var effects = c.Name == "effects";
        if (!effects)
        {
            // A browser kept open: 1 warm-up + 3 measured renders (startRendering() only, as render.js times it).
            await using var browser = await LaunchAsync(playwright);
            var page = await PrepareAsync(browser, script);
            var times = new List<double>();
            for (var i = 0; i < 4; i++)
            {
                var ms = await RenderAsync(page, json);
                if (i > 0) times.Add(ms);
            }
            c.ChromiumRender = times;
            c.ChromiumRenderNote = "3 runs after 1 warm-up";
            Console.WriteLine($"Chromium {c.Name}: startRendering() {Join(times)} ms (3 runs after 1 warm-up)");
        }
        // Whole browser: LaunchAsync → page → script → render → CloseAsync. The effects render takes over a minute,
        // so that case runs once, and its startRendering() time (no warm-up) is taken from that same run.
        var wholeRuns = effects ? 1 : 3;
        var whole = new List<double>();
        var inner = new List<double>();
        for (var i = 0; i < wholeRuns; i++)
        {
            var sw = Stopwatch.StartNew();
            var browser = await LaunchAsync(playwright);
            var page = await PrepareAsync(browser, script);
            inner.Add(await RenderAsync(page, json));
            await browser.CloseAsync();
            whole.Add(sw.Elapsed.TotalMilliseconds);
            await browser.DisposeAsync();
        }
        c.ChromiumWhole = whole;
        Console.WriteLine($"Chromium {c.Name}: whole browser (launch → render → close) {Join(whole)} ms ({wholeRuns} run(s)); " +
                          $"startRendering() inside: {Join(inner)} ms");
        if (effects)
        {
            c.ChromiumRender = inner;
            c.ChromiumRenderNote = "1 run, no warm-up (slow case)";
            Console.WriteLine($"NOTE: effects case in Chromium: 1 measured render, no warm-up, and 1 whole-browser run, to keep the bench short");
        }
    }

    // ---- 5. the table ----
    Console.WriteLine();
    Console.WriteLine($"{Cycles * cases[0].Pattern.CycleSeconds:0} s of music at {Rate} Hz; times in ms, min / median" +
                      " (CLI: whole process, WAV written; Chromium render: startRendering() of exactly 120 s, compressor/limiter off;" +
                      " Chromium whole: launch → render → close)");
    Console.WriteLine($"{"case",-8} | {"CLI process",-17} | {"Chromium render",-17} | {"Chromium whole",-17} | {"render/CLI",10} | {"whole/CLI",9}");
    Console.WriteLine(new string('-', 8) + "-+-" + new string('-', 17) + "-+-" + new string('-', 17) + "-+-" + new string('-', 17) + "-+-" +
                      new string('-', 10) + "-+-" + new string('-', 9));
    foreach (var c in cases)
    {
        var cliMedian = Median(c.Cli);
        Console.WriteLine($"{c.Name,-8} | {MinMedian(c.Cli),-17} | {MinMedian(c.ChromiumRender),-17} | {MinMedian(c.ChromiumWhole),-17} | " +
                          $"{Median(c.ChromiumRender) / cliMedian,9:0.0}x | {Median(c.ChromiumWhole) / cliMedian,8:0.0}x");
    }
    foreach (var c in cases)
        Console.WriteLine($"  {c.Name}: CLI {c.Cli.Count} runs after {CliWarmups} warm-up, peak {c.CliPeakDb:0.0} dBFS; " +
                          $"Chromium render {c.ChromiumRenderNote}; Chromium whole {c.ChromiumWhole.Count} run(s)");

    // ---- 6. the CLI's peak memory ----
    Console.WriteLine();
    Console.WriteLine("CLI peak memory (plain pattern, /usr/bin/time -f \"%M %e\"):");
    var plain = cases[0];
    foreach (var n in new[] { 60, 900, 1800 })
    {
        var output = Path.Combine(Path.GetDirectoryName(plain.File)!, $"long-{n}.wav");
        var run = await RunAsync("/usr/bin/time", ["-f", "%M %e", cli, "render", plain.File, "-o", output,
            "--cycles", n.ToString(CultureInfo.InvariantCulture), "--sample-rate", Rate.ToString(CultureInfo.InvariantCulture)]);
        var minutes = n * plain.Pattern.CycleSeconds / 60;
        var last = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var parts = last.Split(' ');
        if (run.ExitCode != 0)
            Console.WriteLine($"  {n,5} cycles ({minutes:0} min): orbitr exited with {run.ExitCode}: {run.StdOut.Trim()} {run.StdErr.Trim()}");
        else if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var kb)
                 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            var size = File.Exists(output) ? new FileInfo(output).Length / 1e6 : 0;
            Console.WriteLine($"  {n,5} cycles ({minutes,2:0} min of audio): max RSS {kb / 1024.0,6:0.0} MB, elapsed {seconds,6:0.00} s, WAV {size:0} MB");
        }
        else Console.WriteLine($"  {n,5} cycles: could not read /usr/bin/time's output: {run.StdErr.Trim()}");
        if (File.Exists(output)) File.Delete(output);
    }
    return 0;
}
catch (BenchException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
finally
{
    try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) return dir.FullName;
    throw new BenchException($"no Orbitr.slnx in {Directory.GetCurrentDirectory()} or above; run from the repository or pass --cli");
}

// 0.3 s mono: a 150 Hz sine with a 2 ms attack and an exponential decay, peak 0.5.
static AudioBuffer HitSample()
{
    var frames = (int)(0.3 * Rate);
    var buffer = new AudioBuffer(1, frames, Rate);
    var data = buffer.Channel(0);
    for (var i = 0; i < frames; i++)
    {
        var t = (double)i / Rate;
        data[i] = (float)(Math.Min(1, t / 0.002) * Math.Exp(-t / 0.06) * Math.Sin(2 * Math.PI * 150 * t));
    }
    var peak = buffer.Peak();
    for (var i = 0; i < frames; i++) data[i] *= 0.5f / peak;
    return buffer;
}

// Every track plays the one file sample; the sample table holds only it.
static Pattern OneSample(Pattern p, string key, string path)
{
    p = p with { Samples = new EquatableArray<SampleEntry>([new SampleEntry(key, SampleRef.File(path))]) };
    p = p with { Tracks = new EquatableArray<Track>(p.Tracks.Items.Select(t => t with { Sample = key })) };
    return p with { Master = p.Master with { Volume = MasterVolume } };
}

// The job of bench/web-render: the scheduler's notes of the CLI's cycles, with distortion curves, filters and delays.
static string JobJson(Pattern pattern, AudioBuffer hit)
{
    // The sample as the CLI reads it: the 16-bit WAV decoded back.
    var sample = WavReader.Read(WavWriter.ToBytes(hit, WavSampleFormat.Pcm16));
    var job = ChromiumRenderJob.Build(pattern, Cycles, Rate, pattern.Samples.Items.ToDictionary(s => s.Key, _ => sample.Channel(0)));
    return JsonSerializer.Serialize(job);
}

static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
});

static async Task<IPage> PrepareAsync(IBrowser browser, string script)
{
    var page = await browser.NewPageAsync();
    await page.SetContentAsync("<!doctype html><title>render</title>");
    await page.AddScriptTagAsync(new() { Content = script });
    return page;
}

static async Task<double> RenderAsync(IPage page, string json)
{
    var result = await page.EvaluateAsync<JsonElement>("a => window.renderNotes(JSON.parse(a))", json);
    return result.GetProperty("ms").GetDouble();
}

static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> arguments, string? directory = null)
{
    var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in arguments) info.ArgumentList.Add(a);
    if (directory is not null) info.WorkingDirectory = directory;
    var sw = Stopwatch.StartNew();
    using var process = Process.Start(info) ?? throw new BenchException($"cannot start {file}");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var ms = sw.Elapsed.TotalMilliseconds;
    return new ProcessRun(process.ExitCode, await stdout, await stderr, ms);
}

static double Median(List<double> values)
{
    var s = values.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

static string MinMedian(List<double> values) => $"{values.Min():0} / {Median(values):0}";

static string Join(List<double> values) => string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));

internal sealed record ProcessRun(int ExitCode, string StdOut, string StdErr, double Ms);

internal sealed class Case(string name, Pattern pattern, string file)
{
    public string Name { get; } = name;
    public Pattern Pattern { get; } = pattern;
    public string File { get; } = file;
    public string CliLine { get; set; } = "";
    public double CliPeakDb { get; set; } = double.NaN;
    public List<double> Cli { get; set; } = [];
    public List<double> ChromiumRender { get; set; } = [];
    public string ChromiumRenderNote { get; set; } = "";
    public List<double> ChromiumWhole { get; set; } = [];
}

internal sealed class BenchException(string message) : Exception(message);
