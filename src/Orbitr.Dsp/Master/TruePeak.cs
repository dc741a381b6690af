namespace Orbitr.Dsp.Master;

/// <summary>True peak as ITU-R BS.1770-4 Annex 2 reads it: each channel 4× oversampled by the 48-tap polyphase FIR of
/// the recommendation (4 phases of 12 taps), the largest absolute interpolated value. The limiter's true-peak mode and
/// the meter share it (and limiter.worklet.js holds the same numbers, in the same order of operations).</summary>
public static class TruePeak
{
    public const int Taps = 12;

    /// <summary>The four phases (BS.1770-4, Annex 2, Table 1), applied to frames x[j − 11 … j] in that order.</summary>
    public static readonly float[][] Phases =
    [
        [0.0017089843750f, 0.0109863281250f, -0.0196533203125f, 0.0332031250000f, -0.0594482421875f, 0.1373291015625f,
         0.9721679687500f, -0.1022949218750f, 0.0476074218750f, -0.0266113281250f, 0.0148925781250f, -0.0083007812500f],
        [-0.0291748046875f, 0.0292968750000f, -0.0517578125000f, 0.0891113281250f, -0.1665039062500f, 0.4650878906250f,
         0.7797851562500f, -0.2003173828125f, 0.1015625000000f, -0.0582275390625f, 0.0330810546875f, -0.0189208984375f],
        [-0.0189208984375f, 0.0330810546875f, -0.0582275390625f, 0.1015625000000f, -0.2003173828125f, 0.7797851562500f,
         0.4650878906250f, -0.1665039062500f, 0.0891113281250f, -0.0517578125000f, 0.0292968750000f, -0.0291748046875f],
        [-0.0083007812500f, 0.0148925781250f, -0.0266113281250f, 0.0476074218750f, -0.1022949218750f, 0.9721679687500f,
         0.1373291015625f, -0.0594482421875f, 0.0332031250000f, -0.0196533203125f, 0.0109863281250f, 0.0017089843750f],
    ];

    /// <summary>The most an interpolated value can be, as a multiple of the largest sample it is made of (the largest
    /// phase's Σ|h|, rounded up): a block whose samples stay under ceiling/Bound can't make a true peak over it.</summary>
    public const float Bound = 2.03f;

    /// <summary>The largest |interpolated value| of both channels from frames [slot − 11, slot] of the buffers (frames
    /// before slot 0, and from <paramref name="length"/> on, count as silence).</summary>
    public static float At(float[] left, float[] right, int slot, int length = int.MaxValue)
    {
        var peak = 0f;
        foreach (var h in Phases)
        {
            float l = 0, r = 0;
            for (var k = 0; k < Taps; k++)
            {
                var i = slot - (Taps - 1) + k;
                if (i < 0 || i >= length) continue;
                l += h[k] * left[i];
                r += h[k] * right[i];
            }
            peak = MathF.Max(peak, MathF.Max(MathF.Abs(l), MathF.Abs(r)));
        }
        return peak;
    }

    /// <summary>The true peak (linear) of a whole stereo signal, the sample peak included.</summary>
    public static float Of(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        var l = left.ToArray();
        var r = right.ToArray();
        var peak = 0f;
        for (var j = 0; j < l.Length + Taps - 1; j++)
        {
            if (j < l.Length) peak = MathF.Max(peak, MathF.Max(MathF.Abs(l[j]), MathF.Abs(r[j])));
            peak = MathF.Max(peak, At(l, r, j, l.Length)); // the last interpolations run past the end, into silence
        }
        return peak;
    }
}

/// <summary>Measures the true peak of what streams through it (the sample peak included) and passes it on.</summary>
public sealed class TruePeakMeter(Rendering.IAudioSink next) : Rendering.IAudioSink
{
    // The last 11 frames before the block, then the block: each interpolation reads 12 frames.
    private float[] _l = new float[TruePeak.Taps - 1 + 4096], _r = new float[TruePeak.Taps - 1 + 4096];

    /// <summary>Linear; 20·log10 of it is dBTP.</summary>
    public float Peak { get; private set; }

    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        const int history = TruePeak.Taps - 1;
        if (_l.Length < history + left.Length)
        {
            Array.Resize(ref _l, history + left.Length);
            Array.Resize(ref _r, history + left.Length);
        }
        left.CopyTo(_l.AsSpan(history));
        right.CopyTo(_r.AsSpan(history));
        var peak = Peak;
        for (var k = 0; k < left.Length; k++)
        {
            peak = MathF.Max(peak, MathF.Max(MathF.Abs(left[k]), MathF.Abs(right[k])));
            // Before the first frame there is silence: the zeros the buffer starts with.
            peak = MathF.Max(peak, TruePeak.At(_l, _r, history + k));
        }
        Peak = peak;
        _l.AsSpan(left.Length, history).CopyTo(_l);
        _r.AsSpan(left.Length, history).CopyTo(_r);
        next.Write(left, right);
    }
}
