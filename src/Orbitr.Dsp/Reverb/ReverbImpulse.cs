using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Reverb;

/// <summary>The master reverb's impulse response, computed from its settings (ARCHITECTURE §2, pattern v2) — the one
/// definition both the renderer's convolution and the browser's ConvolverNode (normalization off) use. Stereo,
/// ⌊(preDelay + decay) × rate⌉ frames: round(preDelay × rate) zeros, then per channel seeded white noise (SplitMix64,
/// a fixed seed per channel, so left and right are decorrelated and every run is the same) through a one-pole lowpass
/// at fc = 16 kHz × (1/20)^damping (16 kHz at damping 0 down to 800 Hz at 1: higher damping, darker), times
/// 10^(−3·t/decay) for t seconds after the pre-delay (−60 dB at t = decay, where it ends), and scaled to unit energy
/// (Σ h² = 1 per channel) so the return level does not depend on the decay. Computed in double, stored as float.</summary>
public static class ReverbImpulse
{
    private const ulong LeftSeed = 0x0DB17A11CE5EED01UL, RightSeed = 0x0DB17A11CE5EED02UL;
    public const double BrightestCutoff = 16_000, DarkestCutoff = 800;

    public static AudioBuffer Create(ReverbSettings settings, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        var decay = Math.Clamp(settings.Decay, ReverbSettings.MinDecay, ReverbSettings.MaxDecay);
        var preDelay = Math.Clamp(settings.PreDelay, ReverbSettings.MinPreDelay, ReverbSettings.MaxPreDelay);
        var damping = Math.Clamp(settings.Damping, ReverbSettings.MinDamping, ReverbSettings.MaxDamping);
        var pre = (int)Math.Round(preDelay * sampleRate, MidpointRounding.AwayFromZero);
        var length = pre + Math.Max(1, (int)Math.Round(decay * sampleRate, MidpointRounding.AwayFromZero));
        var cutoff = Math.Min(CutoffFor(damping), 0.45 * sampleRate);
        var a = 1 - Math.Exp(-2 * Math.PI * cutoff / sampleRate);
        var buffer = new AudioBuffer(2, length, sampleRate);
        Fill(buffer.Channel(0), pre, decay, sampleRate, a, LeftSeed);
        Fill(buffer.Channel(1), pre, decay, sampleRate, a, RightSeed);
        return buffer;
    }

    /// <summary>The lowpass cutoff for a damping: geometric from 16 kHz (0) to 800 Hz (1).</summary>
    public static double CutoffFor(double damping) => BrightestCutoff * Math.Pow(DarkestCutoff / BrightestCutoff, damping);

    private static void Fill(float[] channel, int pre, double decay, int rate, double a, ulong seed)
    {
        var values = new double[channel.Length - pre];
        var state = seed;
        var y = 0.0;
        var energy = 0.0;
        var perFrame = Math.Pow(10, -3.0 / (decay * rate)); // the envelope's factor per frame
        var envelope = 1.0;
        for (var k = 0; k < values.Length; k++)
        {
            var noise = Uniform(ref state) * 2 - 1;
            y += a * (noise - y);
            var v = y * envelope;
            envelope *= perFrame;
            values[k] = v;
            energy += v * v;
        }
        var scale = energy > 0 ? 1 / Math.Sqrt(energy) : 0;
        for (var k = 0; k < values.Length; k++) channel[pre + k] = (float)(values[k] * scale);
    }

    // SplitMix64: a well-mixed uniform double in [0, 1) from a 64-bit state, the same on every machine.
    private static double Uniform(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
