using BenchmarkDotNet.Attributes;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Benchmarks;

/// <summary>Offline render of 8 busy tracks (every sixteenth on, filter + distortion + delay on every step).
/// Realtime factor = music seconds / mean time. The 10 s and 60 s cases show allocation does not grow with the
/// number of blocks beyond the output buffer (2 × 4 bytes × frames).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class RenderBenchmarks
{
    private Pattern _pattern = null!;
    private Dictionary<string, AudioBuffer> _samples = null!;

    [Params(10, 60)]
    public int Seconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pattern = BenchPatterns.Busy(16, effects: true);
        _samples = BenchPatterns.Kit(_pattern, 44100);
    }

    [Benchmark]
    public AudioBuffer Render() =>
        OfflineRenderer.Render(_pattern, _samples, new RenderOptions(44100, BenchPatterns.Cycles(_pattern, Seconds), TailSeconds: 0));
}
