using System.Diagnostics;
using System.Globalization;
using Orbitr.MusicGen.Generation;
using Orbitr.MusicGen.Model;

// dotnet run -c Release --project bench/musicgen -- [MODEL_DIR] [--threads N] [--quantized] [--runs N]
// With a real model folder (e.g. the one `orbitr model pull` makes): seconds of audio per second of compute for 2, 5
// and 10 s prompts, draft (no guidance) and hq (guidance 3). Without one: the tiny stand-in export, built here with
// /usr/bin/python3 (python3-onnx), to measure the pipeline's own time and allocations per frame outside ONNX Runtime.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var arguments = args.ToList();
int Option(string name, int fallback)
{
    var i = arguments.IndexOf(name);
    if (i < 0) return fallback;
    var value = int.Parse(arguments[i + 1], CultureInfo.InvariantCulture);
    arguments.RemoveRange(i, 2);
    return value;
}
var threads = Option("--threads", 0);
var runs = Option("--runs", 3);
var quantized = arguments.Remove("--quantized");
var folder = arguments.FirstOrDefault();
var tiny = folder is null;
if (tiny)
{
    folder = Path.Combine(Path.GetTempPath(), "orbitr-bench-tiny-musicgen");
    var make = Process.Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "make_tiny_musicgen.py"), folder])!;
    make.WaitForExit();
    if (make.ExitCode != 0) { Console.Error.WriteLine("could not build the tiny model (apt-get install python3-onnx)"); return 1; }
}

Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}");
var load = Stopwatch.StartNew();
using var model = MusicGenModel.Load(folder!, new MusicGenSessionOptions(threads, quantized));
Console.WriteLine($"model: {model.Folder.Path}{(model.Folder.Quantized ? " (quantized)" : "")}, {model.Layers} layers × {model.Heads} heads × {model.HeadSize}, " +
    $"{model.Config.Codebooks} codebooks, {model.Config.SampleRate} Hz; loaded in {load.Elapsed.TotalSeconds:0.00} s; intra-op threads {(threads == 0 ? "default" : threads)}");
Console.WriteLine($"process memory after load: {Process.GetCurrentProcess().WorkingSet64 / 1e6:0} MB");

var prompts = new[] { "dusty lo-fi kick", "jazz piano chord", "warm analog bass" };
new MusicGenGenerator(model).Generate("warm up", new MusicGenSettings(5, TopK: 1));
if (tiny)
{
    // Per-frame overhead: the tiny model's Run is microseconds, so the time outside it is the pipeline's own work.
    Console.WriteLine("| frames | runs | wall ms (median) | inside ONNX Runtime ms | outside per decoder call µs | managed bytes allocated per decoder call |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
    foreach (var frames in new[] { 100, 250, 500 })
    {
        var results = new List<(MusicGenTimings T, long Bytes)>();
        for (var r = 0; r < Math.Max(runs, 5); r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = new MusicGenGenerator(model).Generate(prompts[r % prompts.Length], new MusicGenSettings(frames, (ulong)r, GuidanceScale: 3));
            results.Add((result.Timings, GC.GetAllocatedBytesForCurrentThread() - before));
        }
        var median = results.OrderBy(x => x.T.Total).ElementAt(results.Count / 2);
        Console.WriteLine($"| {frames} | {results.Count} | {median.T.Total.TotalMilliseconds:0.0} | {median.T.InsideOnnxRuntime.TotalMilliseconds:0.0} | " +
            $"{median.T.Outside.TotalMicroseconds / median.T.DecoderCalls:0.0} | {median.Bytes / median.T.DecoderCalls:N0} |");
    }
    return 0;
}

Console.WriteLine("| audio s | quality | runs | compute s (median) | audio s per compute s | inside ONNX Runtime | outside per frame ms |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
foreach (var seconds in new[] { 2.0, 5.0, 10.0 })
    foreach (var (quality, guidance) in new[] { ("draft", 1f), ("hq", model.Config.GuidanceScale) })
    {
        var frames = (int)Math.Round(seconds * model.Config.FrameRate);
        var timings = new List<MusicGenTimings>();
        for (var r = 0; r < runs; r++)
            timings.Add(new MusicGenGenerator(model).Generate(prompts[r % prompts.Length], new MusicGenSettings(frames, (ulong)r, GuidanceScale: guidance)).Timings);
        var m = timings.OrderBy(t => t.Total).ElementAt(timings.Count / 2);
        Console.WriteLine($"| {seconds:0} | {quality} | {runs} | {m.Total.TotalSeconds:0.00} | {seconds / m.Total.TotalSeconds:0.00} | " +
            $"{m.InsideOnnxRuntime / m.Total:P1} | {m.Outside.TotalMilliseconds / m.DecoderCalls:0.000} |");
    }
Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
return 0;
