using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Benchmarks;

/// <summary>The busy patterns the benchmarks measure.</summary>
public static class BenchPatterns
{
    /// <summary>8 tracks × <paramref name="steps"/> steps, every step on, with filter, distortion and delay on every step
    /// (settings differ per track, so each track has its own delay line and voices).</summary>
    public static Pattern Busy(int steps, bool effects)
    {
        var p = PatternEditor.SetLength(PatternFactory.Create(8, 1), steps);
        for (var t = 0; t < 8; t++)
        {
            p = PatternEditor.EuclideanFill(p, t, steps);
            if (!effects) continue;
            var fx = new StepEffects(
                new FilterEffect((FilterType)(t % 3), 400 + 900 * t, 1 + t % 4),
                new DistortionEffect(0.1 + 0.1 * t),
                new DelayEffect(0.1 + 0.07 * t, 0.3 + 0.05 * t, 0.3));
            for (var s = 0; s < steps; s++)
            {
                p = PatternEditor.SetStepEffects(p, t, s, fx);
                p = PatternEditor.SetStepVelocity(p, t, s, s % 4 == 0 ? 120 : 90);
            }
        }
        return p;
    }

    public static Dictionary<string, AudioBuffer> Kit(Pattern p, int rate) =>
        p.Samples.Items.ToDictionary(s => s.Key, s => KitSynthesizer.Render(s.Ref.Value, rate));

    /// <summary>Cycles of a 16-step pattern at 120 BPM (2 s each) that make <paramref name="seconds"/> of music.</summary>
    public static int Cycles(Pattern p, double seconds) => (int)Math.Round(seconds / p.CycleSeconds);
}
