using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Resampling;
using Xunit.Abstractions;

namespace Orbitr.Dsp.Tests;

public class ResamplerTests(ITestOutputHelper log)
{
    private static AudioBuffer Sine(double frequency, int rate, double seconds)
    {
        var b = new AudioBuffer(1, (int)(rate * seconds), rate);
        for (var i = 0; i < b.Length; i++) b.Channel(0)[i] = (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate));
        return b;
    }

    /// <summary>THD+N in dB: least-squares fit of a sine at the known frequency (with DC), residual power over fit power, edges skipped.</summary>
    private static double ThdN(AudioBuffer b, double frequency)
    {
        var x = b.Channel(0);
        var skip = b.SampleRate / 10;
        var n = x.Length - 2 * skip;
        double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
        for (var i = skip; i < skip + n; i++)
        {
            var w = 2 * Math.PI * frequency * i / b.SampleRate;
            double s = Math.Sin(w), c = Math.Cos(w);
            ss += s * s; sc += s * c; cc += c * c; xs += x[i] * s; xc += x[i] * c;
        }
        var det = ss * cc - sc * sc;
        var a = (xs * cc - xc * sc) / det;
        var bb = (xc * ss - xs * sc) / det;
        double residual = 0, signal = 0;
        for (var i = skip; i < skip + n; i++)
        {
            var w = 2 * Math.PI * frequency * i / b.SampleRate;
            var fit = a * Math.Sin(w) + bb * Math.Cos(w);
            signal += fit * fit;
            residual += (x[i] - fit) * (x[i] - fit);
        }
        return 10 * Math.Log10(residual / signal);
    }

    [Theory]
    [InlineData(48000, 44100)]
    [InlineData(44100, 48000)]
    [InlineData(22050, 44100)]
    [InlineData(96000, 44100)]
    public void A_1khz_sine_keeps_thd_plus_n_below_minus_60_db(int from, int to)
    {
        var output = Resampler.Resample(Sine(1000, from, 1), to);
        var thd = ThdN(output, 1000);
        log.WriteLine($"{from} → {to}: THD+N {thd:0.0} dB");
        Assert.True(thd < -60, $"THD+N {thd:0.0} dB");
        Assert.Equal(0.5, output.Peak(), 2);
    }

    [Theory]
    [InlineData(48000, 44100, 1000)]
    [InlineData(44100, 48000, 999)]
    [InlineData(22050, 44100, 7)]
    public void Length_scales_with_the_rate(int from, int to, int length)
    {
        var output = Resampler.Resample(new AudioBuffer(2, length, from), to);
        Assert.Equal((int)Math.Round(length * (double)to / from, MidpointRounding.AwayFromZero), output.Length);
        Assert.Equal((2, to), (output.ChannelCount, output.SampleRate));
    }

    [Fact]
    public void Downsampling_removes_content_above_the_new_nyquist()
    {
        // 30 kHz at 96 kHz cannot exist at 44.1 kHz: it must vanish, not alias to 14.1 kHz.
        var output = Resampler.Resample(Sine(30000, 96000, 0.5), 44100);
        var x = output.Channel(0);
        var rms = Math.Sqrt(x.Skip(4410).Take(x.Length - 8820).Average(v => v * (double)v));
        Assert.True(20 * Math.Log10(rms / 0.3535) < -60);
    }

    [Fact]
    public void Equal_rates_return_the_input()
    {
        var input = Sine(440, 44100, 0.1);
        Assert.Same(input, Resampler.Resample(input, 44100));
    }
}
