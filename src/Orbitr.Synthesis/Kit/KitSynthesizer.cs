using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;

namespace Orbitr.Synthesis.Kit;

/// <summary>The built-in kit (<c>builtin:&lt;name&gt;</c>): each sound is synthesized procedurally and deterministically —
/// the same name and rate give bit-identical audio on every machine — so the app and CLI need no sample files.</summary>
public static class KitSynthesizer
{
    public static IReadOnlyList<string> Names { get; } = BuiltinSounds.All.Select(s => s.Name).ToArray();

    public static AudioBuffer Render(string name, int sampleRate = 44100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        var r = sampleRate;
        float[] y = name switch
        {
            "kick" => Kick(r),
            "snare" => Snare(r),
            "clap" => Clap(r),
            "closed-hat" => Hat(r, 0.018, 1),
            "open-hat" => Hat(r, 0.11, 2),
            "low-tom" => Tom(r, 95, 0.13),
            "high-tom" => Tom(r, 180, 0.1),
            "rim" => Rim(r),
            "cowbell" => Cowbell(r),
            "shaker" => Shaker(r),
            "crash" => Crash(r),
            "bass" => Bass(r),
            _ => throw new ArgumentException($"\"{name}\" is not a built-in sound (one of {string.Join(", ", Names)})", nameof(name)),
        };
        return new AudioBuffer([Tone.Normalize(y)], sampleRate);
    }

    // Lengths are ~7 decay time constants, so every sound ends below −60 dBFS.
    private static float[] Buffer(int rate, double seconds) => new float[(int)(seconds * rate)];

    private static float[] Kick(int r)
    {
        var y = Buffer(r, 0.6);
        Tone.AddSweep(y, r, 160, 48, 0.035, 1.0);
        Tone.Decay(y, r, 0.085);
        var click = Buffer(r, 0.6);
        Tone.AddNoise(click, 11, 0.25);
        Tone.Filter(click, r, FilterType.Lowpass, 3000, 0);
        Tone.Decay(click, r, 0.002);
        for (var i = 0; i < y.Length; i++) y[i] += click[i];
        return y;
    }

    private static float[] Snare(int r)
    {
        var tone = Buffer(r, 0.35);
        Tone.AddSweep(tone, r, 240, 185, 0.02, 0.6);
        Tone.Decay(tone, r, 0.045);
        var noise = Buffer(r, 0.35);
        Tone.AddNoise(noise, 22, 0.8);
        Tone.Filter(noise, r, FilterType.Highpass, 1500, 0);
        Tone.Decay(noise, r, 0.05);
        for (var i = 0; i < tone.Length; i++) tone[i] += noise[i];
        return tone;
    }

    private static float[] Clap(int r)
    {
        var y = Buffer(r, 0.45);
        Tone.AddNoise(y, 33, 1);
        Tone.Filter(y, r, FilterType.Bandpass, 1200, 1.2);
        // Three quick bursts then a diffuse tail: hands that don't quite meet at once.
        for (var i = 0; i < y.Length; i++)
        {
            var t = (double)i / r;
            var env = t < 0.03 ? Math.Exp(-(t % 0.01) / 0.003) : 0.7 * Math.Exp(-(t - 0.03) / 0.06);
            y[i] *= (float)env;
        }
        return y;
    }

    private static float[] Hat(int r, double tau, uint seed)
    {
        var y = Buffer(r, tau * 8);
        // The 808's six detuned square oscillators, then a steep high-pass: metallic, not pitched.
        foreach (var f in new[] { 205.3, 304.4, 369.6, 522.7, 540.0, 800.0 }) Tone.AddSquare(y, r, f * 1.5, 0.15);
        Tone.AddNoise(y, 44 + seed, 0.6);
        Tone.Filter(y, r, FilterType.Highpass, 7000, 3);
        Tone.Filter(y, r, FilterType.Highpass, 6000, 0);
        Tone.Decay(y, r, tau);
        return y;
    }

    private static float[] Tom(int r, double pitch, double tau)
    {
        var y = Buffer(r, tau * 7);
        Tone.AddSweep(y, r, pitch * 1.6, pitch, 0.04, 1.0);
        Tone.Decay(y, r, tau);
        return y;
    }

    private static float[] Rim(int r)
    {
        var y = Buffer(r, 0.07);
        Tone.AddSweep(y, r, 1700, 1600, 0.01, 0.6);
        Tone.AddSweep(y, r, 520, 500, 0.01, 0.5);
        Tone.Decay(y, r, 0.008);
        return y;
    }

    private static float[] Cowbell(int r)
    {
        var y = Buffer(r, 0.45);
        Tone.AddSquare(y, r, 540, 0.5);
        Tone.AddSquare(y, r, 800, 0.5);
        Tone.Filter(y, r, FilterType.Bandpass, 900, 2);
        Tone.Decay(y, r, 0.06);
        return y;
    }

    private static float[] Shaker(int r)
    {
        var y = Buffer(r, 0.2);
        Tone.AddNoise(y, 55, 1);
        Tone.Filter(y, r, FilterType.Bandpass, 7500, 1.5);
        Tone.Filter(y, r, FilterType.Highpass, 5000, 0);
        Tone.Decay(y, r, 0.022, attack: 0.012);
        return y;
    }

    private static float[] Crash(int r)
    {
        var y = Buffer(r, 2.0);
        foreach (var f in new[] { 205.3, 304.4, 369.6, 522.7, 540.0, 800.0 }) Tone.AddSquare(y, r, f * 2.3, 0.08);
        Tone.AddNoise(y, 66, 0.8);
        Tone.Filter(y, r, FilterType.Highpass, 5500, 0);
        Tone.Decay(y, r, 0.28);
        return y;
    }

    private static float[] Bass(int r)
    {
        var y = Buffer(r, 0.9);
        Tone.AddSaw(y, r, 55, 12, 0.6);
        Tone.Filter(y, r, FilterType.Lowpass, 400, 2);
        Tone.Decay(y, r, 0.12, attack: 0.004);
        return y;
    }
}
