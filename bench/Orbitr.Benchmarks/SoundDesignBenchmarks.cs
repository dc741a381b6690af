using BenchmarkDotNet.Attributes;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Benchmarks;

/// <summary>Issue 24: what the per-step sound design costs the renderer, against the effects case in the same run
/// (8 busy tracks, filter + distortion + delay on every step). "v2": every step also pitched (−7…+7 semitones),
/// gated, started part-way, every fourth reversed, every third a 2–4-hit ratchet, the hats in a choke group;
/// "v2+reverb": that plus every ring sending to the master reverb (1.5 s and 10 s decays). 20 s of music.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SoundDesignBenchmarks
{
    private Pattern _pattern = null!;
    private Dictionary<string, AudioBuffer> _samples = null!;

    [Params("effects", "v2", "v2+reverb 1.5 s", "v2+reverb 10 s")]
    public string Case { get; set; } = "effects";

    [GlobalSetup]
    public void Setup()
    {
        var p = BenchPatterns.Busy(16, effects: true);
        if (Case != "effects")
        {
            for (var t = 0; t < 8; t++)
            {
                for (var s = 0; s < 16; s++)
                {
                    var (tt, ss) = (t, s);
                    p = PatternEditor.UpdateStep(p, t, s, st => st with
                    {
                        Pitch = (tt * 16 + ss) % 15 - 7,
                        Gate = 0.05 + 0.01 * ss,
                        Start = ss % 5 * 0.05,
                        Reverse = ss % 4 == 3,
                        Ratchet = ss % 3 == 0 ? 2 + ss % 3 : 1,
                    });
                }
                if (t is 2 or 3) p = PatternEditor.UpdateTrack(p, t, tr => tr with { Choke = 1 });
            }
        }
        if (Case.StartsWith("v2+reverb", StringComparison.Ordinal))
        {
            var decay = Case.EndsWith("10 s", StringComparison.Ordinal) ? 10 : 1.5;
            p = p with { Master = p.Master with { Reverb = new ReverbSettings(true, decay) } };
            for (var t = 0; t < 8; t++) p = PatternEditor.UpdateTrack(p, t, tr => tr with { Reverb = 0.3 });
        }
        _pattern = p;
        _samples = BenchPatterns.Kit(_pattern, 44100);
    }

    [Benchmark]
    public AudioBuffer Render() =>
        OfflineRenderer.Render(_pattern, _samples, new RenderOptions(44100, BenchPatterns.Cycles(_pattern, 20), TailSeconds: 0));
}
