using BenchmarkDotNet.Attributes;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Benchmarks;

/// <summary>Issue 25: what the master chain costs a render of 20 s (8 busy tracks), against the chain off in the same
/// run: the compressor (frame by frame since issue 25) with its DC blocker, the limiter in sample-peak and true-peak
/// mode, and a seamless loop of the same span (folded, the dynamics run three times).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class MasterChainBenchmarks
{
    private Pattern _pattern = null!;
    private Dictionary<string, AudioBuffer> _samples = null!;
    private int _cycles;

    [Params("off", "compressor", "compressor+limiter", "compressor+true-peak limiter", "loop (compressor+limiter)")]
    public string Case { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        var p = BenchPatterns.Busy(16, effects: false);
        var m = p.Master;
        p = p with
        {
            Master = m with
            {
                Compressor = m.Compressor with { Enabled = Case != "off" },
                Limiter = m.Limiter with { Enabled = Case.Contains("limiter", StringComparison.Ordinal), TruePeak = Case.Contains("true-peak", StringComparison.Ordinal) },
            },
        };
        _pattern = p;
        _samples = BenchPatterns.Kit(_pattern, 44100);
        _cycles = BenchPatterns.Cycles(_pattern, 20);
    }

    [Benchmark]
    public long Render()
    {
        var sink = new BufferSink(44100, 44100 * 21);
        var options = new RenderOptions(44100, _cycles, TailSeconds: 0);
        return Case.StartsWith("loop", StringComparison.Ordinal)
            ? LoopRenderer.Render(_pattern, _samples, options, sink).Frames
            : OfflineRenderer.Render(_pattern, _samples, options, sink).Frames;
    }
}
