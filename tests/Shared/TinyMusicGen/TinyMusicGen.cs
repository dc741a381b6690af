using System.Diagnostics;

namespace Orbitr.Tests.Shared;

/// <summary>Tiny stand-ins for the musicgen-small ONNX export, built by make_tiny_musicgen.py with Debian's python3-onnx
/// (./test.sh installs it), and the exact results their rules give, to check the C# pipeline against.</summary>
public static class TinyMusicGen
{
    public const int Codebooks = 4, Pad = 2048, SamplesPerFrame = 640, SampleRate = 32000;
    private static readonly Dictionary<string, string> Built = [];
    private static readonly Lock Gate = new();
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"orbitr-tiny-musicgen-{Environment.ProcessId}");

    /// <summary>A folder with the export's files; variant "good", "nan" or "wrong-names". Built once per process and
    /// variant; callers that change files must copy it first (<see cref="CopyOf"/>).</summary>
    public static string Folder(string variant = "good", bool flat = false, bool quantized = false)
    {
        var key = $"{variant}{(flat ? "-flat" : "")}{(quantized ? "-quantized" : "")}";
        lock (Gate)
        {
            if (Built.TryGetValue(key, out var done)) return done;
            var dir = Path.Combine(Root, key);
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            var script = Path.Combine(AppContext.BaseDirectory, "TinyMusicGen", "make_tiny_musicgen.py");
            var args = new List<string> { script, dir, variant };
            if (flat) args.Add("--flat");
            if (quantized) args.Add("--quantized");
            var start = new ProcessStartInfo("/usr/bin/python3", args) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(start)!;
            var error = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(120_000)) throw new TimeoutException("make_tiny_musicgen.py did not finish in 2 minutes");
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"make_tiny_musicgen.py failed (is python3-onnx installed? ./test.sh installs it): {error.Result}");
            Built[key] = dir;
            return dir;
        }
    }

    /// <summary>A private copy of a built folder, to break.</summary>
    public static string CopyOf(string folder)
    {
        var copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>The target token of the stand-in decoder for codebook k fed position p: (S + 3k + 5p + E) mod 2048,
    /// S = every id fed up to p, E = the masked sum of the text ids (mod 512 each).</summary>
    public static long Target(long fedSum, int codebook, int position, long textSum) => (fedSum + 3 * codebook + 5 * position + textSum) % 2048;

    public static long TextSum(IEnumerable<long> textIds) => textIds.Sum(id => id % 512);

    /// <summary>The delayed token grid [codebook][position] the pipeline must produce with top-k 1 (guided or not:
    /// guidance with scale above 1 keeps the conditional target the best logit of the stand-in).</summary>
    public static long[][] ExpectedTokens(long textSum, int frames)
    {
        var positions = frames + Codebooks;
        var tokens = Enumerable.Range(0, Codebooks).Select(_ => new long[positions]).ToArray();
        foreach (var t in tokens) t[0] = Pad;
        long fed = 0;
        for (var p = 0; p < positions - 1; p++)
        {
            for (var k = 0; k < Codebooks; k++) fed += tokens[k][p];
            for (var k = 0; k < Codebooks; k++)
                tokens[k][p + 1] = p + 1 <= k || p + 1 - k > frames ? Pad : Target(fed, k, p, textSum);
        }
        return tokens;
    }

    /// <summary>Undelayed codes [codebook][frame]: codebook k's frames sit at positions k + 1 … k + frames.</summary>
    public static long[][] Undelay(long[][] tokens, int frames) =>
        tokens.Select((t, k) => t.AsSpan(k + 1, frames).ToArray()).ToArray();

    /// <summary>The stand-in EnCodec: sample f·640 + 4j + k = (codes[k][f] − 1024) / 4096.</summary>
    public static float[] ExpectedAudio(long[][] codes)
    {
        var frames = codes[0].Length;
        var audio = new float[frames * SamplesPerFrame];
        for (var f = 0; f < frames; f++)
            for (var i = 0; i < SamplesPerFrame; i++)
                audio[f * SamplesPerFrame + i] = (codes[i % Codebooks][f] - 1024f) * (1f / 4096);
        return audio;
    }
}
