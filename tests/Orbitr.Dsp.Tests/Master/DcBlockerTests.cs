using Orbitr.Dsp.Master;

namespace Orbitr.Dsp.Tests.Master;

/// <summary>The DC blocker after the compressor (issue 25): Web Audio's highpass biquad at 5 Hz, Butterworth.</summary>
public class DcBlockerTests
{
    /// <summary>Steady-state level in dB of a sine through the blocker (the last second of ten).</summary>
    private static double GainDb(double hz, int rate = 48000)
    {
        var blocker = new DcBlocker(rate);
        var n = rate * 10;
        var left = new float[n];
        var right = new float[n];
        for (var i = 0; i < n; i++) left[i] = right[i] = (float)Math.Sin(2 * Math.PI * hz * i / rate);
        blocker.Process(left, right);
        double sumIn = 0, sumOut = 0;
        for (var i = n - rate; i < n; i++)
        {
            var x = Math.Sin(2 * Math.PI * hz * i / rate);
            sumIn += x * x;
            sumOut += left[i] * (double)left[i];
        }
        Assert.Equal(left[^1], right[^1]);
        return 10 * Math.Log10(sumOut / sumIn);
    }

    [Theory]
    [InlineData(5, -3.0103)]   // the corner of a Butterworth high-pass: 1/√2
    [InlineData(2.5, -12.30)]  // |H|² = f⁴/(f⁴ + fc⁴) at an octave below: 1/17
    [InlineData(50, -0.0004)]  // a kick's fundamental: untouched within 0.001 dB
    [InlineData(1000, 0)]
    public void Its_response_is_a_second_order_butterworth_high_pass_at_5_hz(double hz, double db)
    {
        var analytic = 10 * Math.Log10(Math.Pow(hz, 4) / (Math.Pow(hz, 4) + Math.Pow(DcBlocker.Frequency, 4)));
        Assert.Equal(db, analytic, 2);
        Assert.InRange(GainDb(hz), analytic - 0.01, analytic + 0.01);
    }

    [Fact]
    public void A_constant_offset_is_gone_within_a_second_and_its_state_carries_across_blocks()
    {
        const int rate = 44100;
        var whole = Enumerable.Repeat(0.25f, rate * 2).ToArray();
        var copy = whole.ToArray();
        new DcBlocker(rate).Process(whole, whole.ToArray());
        Assert.InRange(Math.Abs(whole[^1]), 0, 1e-5);
        // In blocks of 128 frames, as the renderer calls it: the same samples.
        var blocked = new DcBlocker(rate);
        for (var i = 0; i < copy.Length; i += 128)
            blocked.Process(copy.AsSpan(i, Math.Min(128, copy.Length - i)), new float[Math.Min(128, copy.Length - i)]);
        Assert.Equal(whole, copy);
    }
}
