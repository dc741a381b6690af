namespace Orbitr.Dsp.Voice;

/// <summary>The gate and choke fades (ARCHITECTURE §2, pattern v2): full gain until the fade starts, then a linear
/// fall to 0 over <see cref="FadeSeconds"/>, as a GainNode's setValueAtTime(1, t₀) + linearRampToValueAtTime(0,
/// t₀ + 5 ms) gives: at frame k the gain is 1 − (k − k₀)/(0.005 × rate) for k ≥ k₀ = t₀ × rate (k₀ need not be whole),
/// and 0 from the first frame at or past k₀ + 0.005 × rate.</summary>
public static class Envelopes
{
    public const double FadeSeconds = 0.005;

    /// <summary>Gain at frame <paramref name="frame"/> of a fade starting at frame <paramref name="fadeStart"/>.</summary>
    public static float Fade(double frame, double fadeStart, int sampleRate)
    {
        if (frame < fadeStart) return 1f;
        var g = 1.0 - (frame - fadeStart) / (FadeSeconds * sampleRate);
        return g > 0 ? (float)g : 0f;
    }

    /// <summary>The first frame at which a fade starting at <paramref name="fadeStart"/> has reached 0: frames from it on are silent.</summary>
    public static long SilentFrom(double fadeStart, int sampleRate) => (long)Math.Ceiling(fadeStart + FadeSeconds * sampleRate);

    /// <summary>Multiplies frames [offset, offset + n) of a voice by a fade that starts at voice frame <paramref name="fadeStart"/>.</summary>
    public static void Apply(Span<float> left, Span<float> right, long offset, double fadeStart, int sampleRate)
    {
        var first = (int)Math.Clamp(Math.Ceiling(fadeStart) - offset, 0, left.Length);
        for (var i = first; i < left.Length; i++)
        {
            var g = Fade(offset + i, fadeStart, sampleRate);
            left[i] *= g;
            right[i] *= g;
        }
    }
}
