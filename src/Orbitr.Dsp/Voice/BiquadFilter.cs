using Orbitr.Core.Model;

namespace Orbitr.Dsp.Voice;

/// <summary>One channel of a second-order IIR filter with the coefficient formulas of the Web Audio API's
/// BiquadFilterNode (lowpass/highpass Q in dB, bandpass Q linear), normalized by a0.</summary>
public sealed class BiquadFilter
{
    private readonly double _b0, _b1, _b2, _a1, _a2;
    private double _x1, _x2, _y1, _y2;

    public BiquadFilter(FilterType type, double frequency, double q, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (!double.IsFinite(frequency) || !double.IsFinite(q)) throw new ArgumentException("filter frequency and Q must be finite");
        (_b0, _b1, _b2, _a1, _a2) = Coefficients(type, frequency, q, sampleRate);
    }

    /// <summary>Normalized (b0, b1, b2, a1, a2) per the Web Audio spec.</summary>
    public static (double B0, double B1, double B2, double A1, double A2) Coefficients(FilterType type, double frequency, double q, int sampleRate)
    {
        var nyquist = sampleRate / 2.0;
        var f0 = Math.Clamp(frequency, 0, nyquist);
        var w0 = 2 * Math.PI * f0 / sampleRate;
        var cos = Math.Cos(w0);
        var sin = Math.Sin(w0);
        double b0, b1, b2, a0, a1, a2;
        switch (type)
        {
            case FilterType.Highpass:
            {
                var alpha = sin / (2 * Math.Pow(10, q / 20));
                b0 = (1 + cos) / 2; b1 = -(1 + cos); b2 = (1 + cos) / 2;
                a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
                break;
            }
            case FilterType.Bandpass:
            {
                var alpha = sin / (2 * q);
                b0 = alpha; b1 = 0; b2 = -alpha;
                a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
                break;
            }
            default:
            {
                var alpha = sin / (2 * Math.Pow(10, q / 20));
                b0 = (1 - cos) / 2; b1 = 1 - cos; b2 = (1 - cos) / 2;
                a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
                break;
            }
        }
        return (b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);
    }

    /// <summary>|H(e^{jω})| at <paramref name="frequency"/> Hz, from the same coefficients.</summary>
    public static double Magnitude(FilterType type, double f0, double q, int sampleRate, double frequency)
    {
        var (b0, b1, b2, a1, a2) = Coefficients(type, f0, q, sampleRate);
        var w = 2 * Math.PI * frequency / sampleRate;
        var num = new System.Numerics.Complex(b0, 0) + b1 * System.Numerics.Complex.Exp(new(0, -w)) + b2 * System.Numerics.Complex.Exp(new(0, -2 * w));
        var den = 1 + a1 * System.Numerics.Complex.Exp(new(0, -w)) + a2 * System.Numerics.Complex.Exp(new(0, -2 * w));
        return (num / den).Magnitude;
    }

    /// <summary>A filter with the same coefficients and state (to look ahead at a ring-out without disturbing this one).</summary>
    public BiquadFilter Clone() => (BiquadFilter)MemberwiseClone();

    public void Process(Span<float> block)
    {
        double x1 = _x1, x2 = _x2, y1 = _y1, y2 = _y2;
        for (var i = 0; i < block.Length; i++)
        {
            double x = block[i];
            var y = _b0 * x + _b1 * x1 + _b2 * x2 - _a1 * y1 - _a2 * y2;
            x2 = x1; x1 = x; y2 = y1; y1 = y;
            block[i] = (float)y;
        }
        // Flush denormals so a decaying tail never slows the CPU down.
        _x1 = x1; _x2 = x2;
        _y1 = Math.Abs(y1) < 1e-30 ? 0 : y1;
        _y2 = Math.Abs(y2) < 1e-30 ? 0 : y2;
    }
}
