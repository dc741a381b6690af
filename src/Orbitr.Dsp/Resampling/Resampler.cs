using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Resampling;

/// <summary>Band-limited resampling with a Kaiser-windowed sinc (32 zero crossings each side), read from a finely
/// sampled kernel table with linear interpolation between phases. When downsampling the cutoff follows the target's
/// Nyquist so nothing aliases.</summary>
public static class Resampler
{
    internal const int HalfWidth = 32;      // zero crossings on each side
    internal const int Phases = 1024;       // table points per input sample
    private const double KaiserBeta = 10.0; // ≈ −100 dB side lobes
    private const double Rolloff = 0.96;    // cutoff just under Nyquist, so the transition band stays out of the audio

    /// <param name="cancel">checked every few thousand output frames: a long resample stops soon after it is cancelled</param>
    public static AudioBuffer Resample(AudioBuffer input, int targetRate, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetRate, 1000);
        if (targetRate == input.SampleRate) return input;
        var ratio = (double)targetRate / input.SampleRate;
        var outLength = (int)Math.Round(input.Length * ratio, MidpointRounding.AwayFromZero);
        var output = new AudioBuffer(input.ChannelCount, outLength, targetRate);
        // Downsampling stretches the kernel in input samples so its cutoff sits at the output Nyquist.
        var stretch = 1.0 / Math.Min(1.0, ratio);
        var table = Table;
        var reach = HalfWidth * stretch;
        for (var c = 0; c < input.ChannelCount; c++)
            Convolve(input.Channel(c), output.Channel(c), ratio, reach, stretch, table, cancel);
        return output;
    }

    private static void Convolve(float[] x, float[] y, double ratio, double reach, double stretch, double[] table, CancellationToken cancel)
    {
        var step = Phases / stretch;
        for (var n = 0; n < y.Length; n++)
        {
            if ((n & 0xFFF) == 0) cancel.ThrowIfCancellationRequested();
            var center = n / ratio;
            var first = Math.Max(0, (int)Math.Ceiling(center - reach));
            var last = Math.Min(x.Length - 1, (int)Math.Floor(center + reach));
            double sum = 0;
            for (var k = first; k <= last; k++)
            {
                var pos = Math.Abs(center - k) * step;
                var i = (int)pos;
                if (i >= table.Length - 1) continue;
                var frac = pos - i;
                sum += x[k] * (table[i] + (table[i + 1] - table[i]) * frac);
            }
            y[n] = (float)(sum / stretch);
        }
    }

    private static readonly Lazy<double[]> SharedTable = new(() => BuildTable(Rolloff));

    /// <summary>The kernel table, built once (it only depends on constants).</summary>
    internal static double[] Table => SharedTable.Value;

    /// <summary>h(t) = fc·sinc(fc·t)·kaiser(t / HalfWidth) for t = j / Phases, j = 0 … HalfWidth·Phases.</summary>
    private static double[] BuildTable(double cutoff)
    {
        var table = new double[HalfWidth * Phases + 2];
        var i0Beta = BesselI0(KaiserBeta);
        for (var j = 0; j < table.Length; j++)
        {
            var t = (double)j / Phases;
            if (t >= HalfWidth) break;
            var r = t / HalfWidth;
            var window = BesselI0(KaiserBeta * Math.Sqrt(1 - r * r)) / i0Beta;
            var arg = Math.PI * cutoff * t;
            var sinc = t == 0 ? 1.0 : Math.Sin(arg) / arg;
            table[j] = cutoff * sinc * window;
        }
        return table;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 50; k++)
        {
            term *= half / k * (half / k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }
}
