using FsCheck;
using FsCheck.Fluent;
using Orbitr.Dsp.Analysis;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Tests;

public class WaveformPeaksTests
{
    [Fact]
    public void Each_bin_holds_the_loudest_sample_of_its_span_over_all_channels()
    {
        var left = new float[1000];
        var right = new float[1000];
        left[10] = -0.5f;   // bin 0
        right[15] = 0.7f;   // bin 0, louder, other channel
        left[999] = 0.25f;  // last bin
        var peaks = WaveformPeaks.Compute(new AudioBuffer([left, right], 44100), bins: 10);
        Assert.Equal([0.7f, 0, 0, 0, 0, 0, 0, 0, 0, 0.25f], peaks);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property The_overall_peak_equals_the_largest_bin_for_any_length_and_bin_count()
    {
        var gen = from length in Gen.Choose(1, 3000)
                  from bins in Gen.Choose(1, 400)
                  from seed in Gen.Choose(0, 1000)
                  select (length, bins, seed);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var rng = new Random(x.seed);
            var data = Enumerable.Range(0, x.length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var peaks = WaveformPeaks.Compute(new AudioBuffer([data], 44100), x.bins);
            return peaks.Length == x.bins && peaks.Max() == data.Max(MathF.Abs) && peaks.All(p => p >= 0 && p <= 1);
        });
    }
}
