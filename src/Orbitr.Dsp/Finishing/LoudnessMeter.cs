namespace Orbitr.Dsp.Finishing;

/// <summary>Integrated loudness per ITU-R BS.1770-4 (LUFS): K-weighting (a high-shelf and a high-pass stage, with the
/// coefficients derived for any sample rate as libebur128 does), mean square over 400 ms blocks with 75 % overlap,
/// an absolute gate at −70 LUFS and a relative gate 10 LU below the gated mean. A clip shorter than one block is
/// measured as one block. Channels are weighted 1 (mono and stereo front channels).</summary>
public static class LoudnessMeter
{
    public const double AbsoluteGate = -70, RelativeGate = -10;

    /// <summary>Loudness in LUFS, or −∞ for silence.</summary>
    public static double Integrated(IReadOnlyList<float[]> channels, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (channels.Count == 0 || channels[0].Length == 0) return double.NegativeInfinity;
        var length = channels[0].Length;
        var block = Math.Min(length, (int)Math.Round(0.4 * sampleRate));
        var hop = Math.Max(1, block / 4);
        var blocks = 1 + (length - block) / hop;
        // Per-sample squared K-weighted signal summed over channels, then block means from a running sum.
        var energy = new double[length];
        foreach (var channel in channels)
        {
            var shelf = KWeighting.Shelf(sampleRate);
            var highpass = KWeighting.HighPass(sampleRate);
            for (var i = 0; i < length; i++)
            {
                var y = highpass.Process(shelf.Process(channel[i]));
                energy[i] += y * y;
            }
        }
        var prefix = new double[length + 1];
        for (var i = 0; i < length; i++) prefix[i + 1] = prefix[i] + energy[i];
        var loudness = new double[blocks];
        for (var j = 0; j < blocks; j++)
        {
            var start = j * hop;
            loudness[j] = Lufs((prefix[start + block] - prefix[start]) / block);
        }
        var absolute = loudness.Select((l, j) => (l, j)).Where(b => b.l > AbsoluteGate).ToList();
        if (absolute.Count == 0) return double.NegativeInfinity;
        var threshold = Lufs(absolute.Average(b => MeanSquare(b.l))) + RelativeGate;
        var gated = absolute.Where(b => b.l > threshold).ToList();
        return gated.Count == 0 ? double.NegativeInfinity : Lufs(gated.Average(b => MeanSquare(b.l)));
    }

    private static double Lufs(double meanSquare) => meanSquare > 0 ? -0.691 + 10 * Math.Log10(meanSquare) : double.NegativeInfinity;
    private static double MeanSquare(double lufs) => Math.Pow(10, (lufs + 0.691) / 10);

    /// <summary>The two K-weighting biquads (BS.1770-4 Table 1 at 48 kHz; bilinear re-derivation at other rates).</summary>
    private sealed class KWeighting(double b0, double b1, double b2, double a1, double a2)
    {
        private double _x1, _x2, _y1, _y2;

        public static KWeighting Shelf(int rate)
        {
            const double f0 = 1681.974450955533, gain = 3.999843853973347, q = 0.7071752369554196;
            var k = Math.Tan(Math.PI * f0 / rate);
            var vh = Math.Pow(10, gain / 20);
            var vb = Math.Pow(vh, 0.4996667741545416);
            var a0 = 1 + k / q + k * k;
            return new KWeighting((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
                2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        }

        public static KWeighting HighPass(int rate)
        {
            const double f0 = 38.13547087602444, q = 0.5003270373238773;
            var k = Math.Tan(Math.PI * f0 / rate);
            var a0 = 1 + k / q + k * k;
            return new KWeighting(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        }

        public double Process(double x)
        {
            var y = b0 * x + b1 * _x1 + b2 * _x2 - a1 * _y1 - a2 * _y2;
            (_x2, _x1, _y2, _y1) = (_x1, x, _y1, y);
            return y;
        }
    }
}
