namespace Orbitr.Dsp.Master;

/// <summary>A 5 Hz second-order (Butterworth) high-pass after the compressor. The compressor's gain follows the
/// signal, and a gain that rises through a kick's asymmetric tail puts content at 0 Hz (issue 25: renders had a mean of
/// 3e-4 to 1.1e-3 with the compressor on, 1e-9 with it off); this takes it out and leaves the music alone (−0.004 dB,
/// 8° of phase at 50 Hz). It is Web Audio's BiquadFilterNode "highpass" (the spec's coefficients, Q in dB), which the
/// browser puts in the same place, so live playback, the browser's export and the CLI agree.</summary>
public sealed class DcBlocker
{
    public const double Frequency = 5;
    /// <summary>Web Audio's Q of a highpass is in dB: 20·log10(1/√2) is Butterworth.</summary>
    public static readonly double QDb = 20 * Math.Log10(Math.Sqrt(0.5));

    private readonly double _b0, _b1, _b2, _a1, _a2;
    private double _l1, _l2, _r1, _r2; // transposed direct form II state per channel

    public DcBlocker(int sampleRate)
    {
        var w0 = 2 * Math.PI * Frequency / sampleRate;
        var alpha = Math.Sin(w0) / (2 * Math.Pow(10, QDb / 20));
        var cos = Math.Cos(w0);
        var a0 = 1 + alpha;
        _b0 = (1 + cos) / 2 / a0;
        _b1 = -(1 + cos) / a0;
        _b2 = _b0;
        _a1 = -2 * cos / a0;
        _a2 = (1 - alpha) / a0;
    }

    public void Process(Span<float> left, Span<float> right)
    {
        Run(left, ref _l1, ref _l2);
        Run(right, ref _r1, ref _r2);
    }

    private void Run(Span<float> x, ref double s1, ref double s2)
    {
        double z1 = s1, z2 = s2;
        for (var i = 0; i < x.Length; i++)
        {
            double input = x[i];
            var y = _b0 * input + z1;
            z1 = _b1 * input - _a1 * y + z2;
            z2 = _b2 * input - _a2 * y;
            x[i] = (float)y;
        }
        (s1, s2) = (z1, z2);
    }
}
