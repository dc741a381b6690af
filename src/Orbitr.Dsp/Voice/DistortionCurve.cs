namespace Orbitr.Dsp.Voice;

/// <summary>The waveshaper curve of a distortion amount, shared with the browser's WaveShaperNode so both shape alike.
/// A soft clipper y = (1+k)x / (1+k|x|) with drive k = 50·amount; amount 0 is the identity line.</summary>
public static class DistortionCurve
{
    public const int DefaultSize = 2049;

    public static float[] Create(double amount, int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        if (!double.IsFinite(amount)) throw new ArgumentException("amount must be finite", nameof(amount));
        var k = 50 * Math.Clamp(amount, 0, 1);
        var curve = new float[size];
        for (var i = 0; i < size; i++)
        {
            var x = 2.0 * i / (size - 1) - 1;
            curve[i] = (float)((1 + k) * x / (1 + k * Math.Abs(x)));
        }
        return curve;
    }
}
