using System.Diagnostics;
using System.Text;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Tests.Fuzz;

namespace Orbitr.Cli.Tests;

/// <summary>No input file reaches the CLI's "internal error" path: a corpus of damaged pattern files (byte-level and
/// JSON-level mutations, plus the cases reported from outside) ends in exit 0 (valid) or 2 (invalid pattern), with
/// one clear error line per problem, in-process for the whole corpus and through the real process for a sample.</summary>
public class FuzzCorpusTests
{
    /// <summary>Documents reported from outside or known to be nasty, always in the corpus.</summary>
    private static readonly string[] Known =
    [
        """{"name": "\ud800", "tracks": [{}]}""",
        """{"name": "\udc00\ud800", "tracks": [{}]}""",
        """{"\ud800": 1, "tracks": [{}]}""",
        """{"samples": {"a\udfffb": {"source": "builtin:kick"}}, "tracks": [{"sample": "a\udfffb"}]}""",
        """{"bpm": 1e400, "tracks": [{}]}""",
        """{"bpm": 123456789012345678901234567890123456789012345678901234567890e300, "tracks": [{}]}""",
        """{"tempoo": 120, "bpm": 250, "tracks": [{"length": 4, "steps": [{}, {}, {"velocity": 140}, {}]}, {"pan": -3}], "length": 4}""",
        "\uFEFF\uFEFF{}",
        "{\"name\": \"a\u0001b\", \"tracks\": [{}]}",
        "{\"name\": \"tab\there\"}",
        "",
        "null",
        new string('[', 5000),
    ];

    private static IEnumerable<byte[]> Corpus(int size)
    {
        var p = PatternEditor.SetStepEffects(PatternEditor.EuclideanFill(PatternFactory.Create(4, 9), 0, 5), 0, 0,
            new StepEffects(new FilterEffect(FilterType.Bandpass, 900, 2), new DistortionEffect(0.3), new DelayEffect(0.1, 0.2, 0.3)));
        byte[][] seeds = [PatternJson.WriteUtf8(p), PatternJson.WriteUtf8(PatternFactory.Create(8, 2)), Encoding.UTF8.GetBytes(Known[6])];
        foreach (var k in Known) yield return Encoding.UTF8.GetBytes(k);
        yield return [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("{}")];
        yield return Encoding.Unicode.GetBytes("{\"bpm\": 120}");
        var rng = new Random(25112026);
        for (var i = 0; i < size; i++) yield return JsonMutator.Mutate(seeds[i % seeds.Length], rng);
    }

    [Fact]
    public void Every_file_of_the_fuzz_corpus_is_valid_or_invalid_never_an_internal_error()
    {
        using var cli = new CliRunner();
        var path = cli.Path("fuzz.json");
        var outcomes = new Dictionary<int, int>();
        var i = 0;
        foreach (var doc in Corpus(1500))
        {
            File.WriteAllBytes(path, doc);
            foreach (var args in new[]
            {
                new[] { "validate", path },
                ["render", path, "-o", cli.Path("out.wav"), "--cycles", "1", "--tail", "0", "--sample-rate", "8000"],
                ["midi", path, "-o", cli.Path("out.mid")],
            })
            {
                var (code, _, err) = cli.Run(args);
                Assert.True(code is ExitCodes.Ok or ExitCodes.InvalidPattern,
                    $"document {i} ({args[0]}): exit {code}: {err.Trim()}\n{Encoding.UTF8.GetString(doc.AsSpan(0, Math.Min(400, doc.Length)))}");
                Assert.DoesNotContain("internal error", err);
                if (code != 0) Assert.StartsWith(args[0] == "validate" ? "fuzz.json: " : "orbitr: error: ", err);
                outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            }
            i++;
        }
        Assert.True(outcomes.GetValueOrDefault(0) > 50, $"only {outcomes.GetValueOrDefault(0)} successful runs");
        Assert.True(outcomes.GetValueOrDefault(2) > 1500, $"only {outcomes.GetValueOrDefault(2)} invalid-pattern runs");
    }

    [Fact]
    public async Task The_cli_process_exits_zero_or_two_on_damaged_files()
    {
        using var cli = new CliRunner();
        var dll = Path.Combine(AppContext.BaseDirectory, "orbitr.dll");
        Assert.True(File.Exists(dll), dll);
        var i = 0;
        foreach (var doc in Corpus(25))
        {
            var path = cli.Path($"f{i++}.json");
            File.WriteAllBytes(path, doc);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { dll, "validate", path }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var errTask = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var err = await errTask;
            Assert.True(process.ExitCode is 0 or 2, $"{path}: exit {process.ExitCode}: {err}");
            Assert.DoesNotContain("internal error", err);
        }
    }
}

/// <summary>`dotnet publish src/Orbitr.Cli -c Release` makes the Native AOT executable the README and the benchmarks
/// describe, and it writes the same bytes as the CLI running on the JIT.</summary>
public class NativeExecutableTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no Orbitr.slnx above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string file, string workDir, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workDir };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output, await err);
    }

    [Fact]
    public async Task The_published_native_executable_renders_the_bytes_of_the_jit_cli_and_refuses_bad_files()
    {
        using var cli = new CliRunner();
        var root = RepoRoot();
        var publish = await RunAsync("dotnet", root, "publish", Path.Combine(root, "src", "Orbitr.Cli"), "-c", "Release", "-o", cli.Path("native"), "-nologo");
        Assert.True(publish.Code == 0, publish.Out + publish.Err);
        var exe = cli.Path("native/orbitr");
        Assert.True(File.Exists(exe));
        Assert.False(File.Exists(cli.Path("native/orbitr.dll")), "the published CLI should be a native executable, not a managed assembly");

        var p = PatternEditor.SetStepEffects(PatternEditor.EuclideanFill(PatternFactory.Create(6, 3), 0, 5), 0, 0,
            new StepEffects(new FilterEffect(FilterType.Lowpass, 900, 2), new DistortionEffect(0.5), new DelayEffect(0.2, 0.5, 0.4)));
        p = PatternEditor.EuclideanFill(p, 1, 7) with { Swing = 30, Bpm = 133.3 };
        var pattern = cli.Path("p.json");
        File.WriteAllBytes(pattern, PatternJson.WriteUtf8(p));
        foreach (var format in new[] { "16", "24", "32f" })
        {
            var native = await RunAsync(exe, cli.Dir, "render", pattern, "-o", cli.Path($"native-{format}.wav"), "--cycles", "3", "--format", format);
            Assert.True(native.Code == 0, native.Err);
            Assert.Equal(0, cli.Run("render", pattern, "-o", cli.Path($"jit-{format}.wav"), "--cycles", "3", "--format", format).Code);
            Assert.Equal(File.ReadAllBytes(cli.Path($"jit-{format}.wav")), File.ReadAllBytes(cli.Path($"native-{format}.wav")));
        }
        // MusicGen through ONNX Runtime's native library, published beside the executable.
        var model = Orbitr.Tests.Shared.TinyMusicGen.Folder();
        var generated = await RunAsync(exe, cli.Dir, "generate", "warm bass", "-o", cli.Path("native-mg.wav"), "--engine", "musicgen", "--model", model,
            "--duration", "1", "--seed", "5", "--raw");
        Assert.True(generated.Code == 0, generated.Err);
        Assert.Equal(0, cli.Run("generate", "warm bass", "-o", cli.Path("jit-mg.wav"), "--engine", "musicgen", "--model", model, "--duration", "1", "--seed", "5", "--raw").Code);
        Assert.Equal(File.ReadAllBytes(cli.Path("jit-mg.wav")), File.ReadAllBytes(cli.Path("native-mg.wav")));
        var midi = await RunAsync(exe, cli.Dir, "midi", pattern, "-o", cli.Path("n.mid"), "--cycles", "3");
        Assert.Equal(0, midi.Code);
        File.WriteAllText(cli.Path("bad.json"), """{"name": "\ud800", "bpm": 250, "tracks": [{}]}""");
        var bad = await RunAsync(exe, cli.Dir, "validate", cli.Path("bad.json"));
        Assert.Equal(ExitCodes.InvalidPattern, bad.Code);
        Assert.Contains("name:", bad.Err);
        Assert.Contains("bpm:", bad.Err);
    }
}
