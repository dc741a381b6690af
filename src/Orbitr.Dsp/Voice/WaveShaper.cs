namespace Orbitr.Dsp.Voice;

/// <summary>Applies a curve as Web Audio's WaveShaperNode does with oversample "none": v = (N−1)/2·(x+1), linear
/// interpolation between curve points, the end points beyond ±1.</summary>
public sealed class WaveShaper(float[] curve)
{
    private readonly float[] _curve = curve.Length >= 2 ? curve : throw new ArgumentException("a curve needs at least two points", nameof(curve));

    public void Process(Span<float> block)
    {
        var n1 = _curve.Length - 1;
        var half = n1 / 2f;
        for (var i = 0; i < block.Length; i++)
        {
            var v = half * (block[i] + 1);
            if (v <= 0) block[i] = _curve[0];
            else if (v >= n1) block[i] = _curve[n1];
            else
            {
                var k = (int)v;
                var f = v - k;
                block[i] = (1 - f) * _curve[k] + f * _curve[k + 1];
            }
        }
    }
}
