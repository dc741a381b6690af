using System.Numerics.Tensors;

namespace Orbitr.Dsp.Master;

/// <summary>A look-ahead peak limiter over a finished stereo render: a signal whose peak stays at or under the
/// ceiling passes bit-identical; otherwise the gain ramps down ahead of each over (1.5 ms), recovers with a release,
/// and a final clamp guarantees no sample exceeds the ceiling.</summary>
public static class Limiter
{
    public static void Process(Span<float> left, Span<float> right, double ceilingDb, int sampleRate)
    {
        var ceiling = (float)Math.Pow(10, ceilingDb / 20);
        var n = left.Length;
        if (n == 0) return;
        // The common case (nothing over the ceiling) is one vectorized scan per channel.
        var peak = MathF.Max(MathF.Abs(TensorPrimitives.MaxMagnitude(left)), MathF.Abs(TensorPrimitives.MaxMagnitude(right)));
        if (peak <= ceiling) return;

        var lookahead = Math.Max(1, (int)(0.0015 * sampleRate));
        var release = (float)Math.Exp(-1.0 / (0.05 * sampleRate));
        var gain = new float[n]; // only when limiting is needed at all
        for (var i = 0; i < n; i++)
        {
            var p = MathF.Max(MathF.Abs(left[i]), MathF.Abs(right[i]));
            gain[i] = p > ceiling ? ceiling / p : 1f;
        }
        // Ramp down ahead of each over: g[i] ≤ g[j] + (1 − g[j])·(j − i)/lookahead for j in (i, i + lookahead].
        for (var j = n - 1; j >= 0; j--)
        {
            var g = gain[j];
            if (g >= 1f) continue;
            for (var k = 1; k <= lookahead && j - k >= 0; k++)
            {
                var ramp = g + (1 - g) * k / lookahead;
                if (ramp >= gain[j - k]) break;
                gain[j - k] = ramp;
            }
        }
        var current = 1f;
        for (var i = 0; i < n; i++)
        {
            var target = gain[i];
            current = target < current ? target : target + release * (current - target);
            left[i] = Math.Clamp(left[i] * current, -ceiling, ceiling);
            right[i] = Math.Clamp(right[i] * current, -ceiling, ceiling);
        }
    }
}
