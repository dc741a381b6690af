using Orbitr.Core.Model;
using Orbitr.Dsp.Voice;

namespace Orbitr.Synthesis.Kit;

/// <summary>Building blocks of the kit: oscillators with pitch sweeps, noise, envelopes and filters over a float buffer.</summary>
internal static class Tone
{
    /// <summary>A sine whose frequency glides exponentially from <paramref name="start"/> to <paramref name="end"/> Hz with time constant <paramref name="tau"/>.</summary>
    public static void AddSweep(float[] y, int rate, double start, double end, double tau, double gain)
    {
        double phase = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var t = (double)i / rate;
            var f = end + (start - end) * Math.Exp(-t / tau);
            y[i] += (float)(gain * Math.Sin(phase));
            phase += 2 * Math.PI * f / rate;
        }
    }

    public static void AddSquare(float[] y, int rate, double frequency, double gain)
    {
        for (var i = 0; i < y.Length; i++)
            y[i] += (float)(gain * (Math.Sin(2 * Math.PI * frequency * i / rate) >= 0 ? 1 : -1));
    }

    /// <summary>Band-limited sawtooth from its first harmonics.</summary>
    public static void AddSaw(float[] y, int rate, double frequency, int harmonics, double gain)
    {
        for (var k = 1; k <= harmonics && k * frequency < rate / 2.0; k++)
            for (var i = 0; i < y.Length; i++)
                y[i] += (float)(gain / k * Math.Sin(2 * Math.PI * k * frequency * i / rate));
    }

    public static void AddNoise(float[] y, uint seed, double gain)
    {
        var rng = new Rng(seed);
        for (var i = 0; i < y.Length; i++) y[i] += (float)(gain * rng.NextNoise());
    }

    /// <summary>Multiplies by exp(−t/tau) after an optional linear attack.</summary>
    public static void Decay(float[] y, int rate, double tau, double attack = 0, double delay = 0)
    {
        for (var i = 0; i < y.Length; i++)
        {
            var t = (double)i / rate - delay;
            double env = t < 0 ? 0 : attack > 0 && t < attack ? t / attack : Math.Exp(-(t - attack) / tau);
            y[i] *= (float)env;
        }
    }

    public static void Filter(float[] y, int rate, FilterType type, double frequency, double q) =>
        new BiquadFilter(type, frequency, q, rate).Process(y);

    /// <summary>Removes any DC offset, then scales so the peak is −1 dBFS. The offset is taken out in proportion to
    /// the sound's own magnitude, so silence stays silent (subtracting a constant would leave a step in the tail).</summary>
    public static float[] Normalize(float[] y)
    {
        double sum = 0, magnitude = 0;
        foreach (var v in y)
        {
            sum += v;
            magnitude += Math.Abs(v);
        }
        var peak = 0f;
        for (var i = 0; i < y.Length; i++)
        {
            if (magnitude > 0) y[i] -= (float)(sum * Math.Abs(y[i]) / magnitude);
            peak = MathF.Max(peak, MathF.Abs(y[i]));
        }
        if (peak > 0)
        {
            var scale = 0.8912509f / peak;
            for (var i = 0; i < y.Length; i++) y[i] *= scale;
        }
        return y;
    }
}
