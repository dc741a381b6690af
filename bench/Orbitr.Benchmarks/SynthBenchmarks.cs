using BenchmarkDotNet.Attributes;
using Orbitr.Dsp.Audio;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Benchmarks;

/// <summary>The synth engine: one 2 s sample at 44.1 kHz per prompt (target ≤ 50 ms). The kit's kick, rendered the
/// same way, is the reference in the same run.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SynthBenchmarks
{
    [Params("dusty lo-fi kick", "glass bell, long tail, wet", "warm analog pad in d minor", "distorted reese bass", "140 bpm riser")]
    public string Prompt { get; set; } = "";

    [Benchmark]
    public AudioBuffer Generate() => PromptSynthesizer.Generate(Prompt, seed: 1, durationSeconds: 2);

    [Benchmark(Baseline = true)]
    public AudioBuffer KitKick() => Orbitr.Synthesis.Kit.KitSynthesizer.Render("kick");
}
