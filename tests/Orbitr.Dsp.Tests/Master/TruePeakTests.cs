using Orbitr.Dsp.Master;

namespace Orbitr.Dsp.Tests.Master;

/// <summary>True peak (ITU-R BS.1770-4 Annex 2's 4× interpolation) and the limiter's true-peak mode (issue 25).</summary>
public class TruePeakTests
{
    private static (float[] L, float[] R) Sine(double hz, double phase, double amplitude, int rate = 48_000, int frames = 48_000)
    {
        var l = new float[frames];
        for (var i = 0; i < frames; i++) l[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate + phase));
        return (l, (float[])l.Clone());
    }

    private static double Db(float x) => 20 * Math.Log10(x);

    [Theory]
    [InlineData(12_000, Math.PI / 4, -3.01)] // a quarter of the rate, sampled at ±45°: samples at −3 dB, peaks at 0
    [InlineData(997, 0.1, 0)]
    [InlineData(6_000, Math.PI / 8, -0.69)]
    public void A_sine_reads_its_true_amplitude_within_a_tenth_of_a_db_whatever_its_sample_peak(double hz, double phase, double sampleDb)
    {
        var (l, r) = Sine(hz, phase, 1);
        var samplePeak = l.Max(Math.Abs);
        Assert.Equal(sampleDb, Db(samplePeak), 1);
        Assert.InRange(Db(TruePeak.Of(l, r)), -0.1, 0.1);
    }

    [Fact]
    public void No_phase_gains_more_than_the_bound_the_fast_path_relies_on()
    {
        foreach (var h in TruePeak.Phases) Assert.True(h.Sum(Math.Abs) <= TruePeak.Bound, $"Σ|h| = {h.Sum(Math.Abs)}");
        Assert.True(TruePeak.Phases.Max(h => h.Sum(Math.Abs)) > TruePeak.Bound - 0.01f); // and the bound is tight
    }

    [Fact]
    public void The_true_peak_limiter_keeps_inter_sample_peaks_under_the_ceiling_where_the_sample_peak_one_does_not()
    {
        const int rate = 48_000;
        var (l, r) = Sine(12_000, Math.PI / 4, 1.2, rate);
        // Bursts of a low tone on top, so the gain moves.
        for (var i = 0; i < l.Length; i++)
            if (i / 4_800 % 2 == 1) l[i] += (float)(0.6 * Math.Sin(2 * Math.PI * 80 * i / rate));
        var (sl, sr) = ((float[])l.Clone(), (float[])r.Clone());
        Limiter.Process(sl, sr, -1, rate);
        var (tl, tr) = ((float[])l.Clone(), (float[])r.Clone());
        Limiter.Process(tl, tr, -1, rate, truePeak: true);
        Assert.InRange(Db(Math.Max(sl.Max(Math.Abs), sr.Max(Math.Abs))), -1.01, -0.99);
        Assert.True(Db(TruePeak.Of(sl, sr)) > 1, $"sample-peak mode: {Db(TruePeak.Of(sl, sr)):F2} dBTP");
        Assert.InRange(Db(TruePeak.Of(tl, tr)), -1.3, -0.95);
    }

    [Fact]
    public void Under_the_ceiling_in_dbtp_the_true_peak_limiter_passes_the_signal_untouched_only_later()
    {
        const int rate = 44_100;
        var (l, r) = Sine(440, 0.3, 0.4, rate);
        var (tl, tr) = ((float[])l.Clone(), (float[])r.Clone());
        Limiter.Process(tl, tr, -1, rate, truePeak: true);
        Assert.Equal(l, tl);
        Assert.Equal(r, tr);
    }
}
