using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Reverb;

namespace Orbitr.Dsp.Tests.Reverb;

/// <summary>The reverb's impulse response (deterministic, decorrelated, −60 dB at its decay, pre-delay of exact
/// zeros, darker with damping, unit energy) and the partitioned convolver (exactly the convolution, zero latency).</summary>
public class ReverbTests
{
    private const int Rate = 44100;

    [Fact]
    public void The_impulse_response_is_the_same_every_time_and_its_channels_are_decorrelated()
    {
        var settings = new ReverbSettings(Decay: 1.2, Damping: 0.3, PreDelay: 0.015);
        var a = ReverbImpulse.Create(settings, Rate);
        var b = ReverbImpulse.Create(settings, Rate);
        Assert.Equal(a.Channel(0), b.Channel(0));
        Assert.Equal(a.Channel(1), b.Channel(1));
        double lr = 0, ll = 0, rr = 0;
        for (var i = 0; i < a.Length; i++)
        {
            lr += a.Channel(0)[i] * (double)a.Channel(1)[i];
            ll += a.Channel(0)[i] * (double)a.Channel(0)[i];
            rr += a.Channel(1)[i] * (double)a.Channel(1)[i];
        }
        Assert.True(Math.Abs(lr / Math.Sqrt(ll * rr)) < 0.1, $"correlation {lr / Math.Sqrt(ll * rr)}");
        Assert.Equal(1.0, ll, 4);
        Assert.Equal(1.0, rr, 4);
    }

    [Theory]
    [InlineData(0.3, 0)]
    [InlineData(0.3, 1)]
    [InlineData(1.5, 0.5)]
    [InlineData(8, 0)]
    [InlineData(8, 1)]
    public void The_decay_reaches_minus_60_dB_at_its_decay_time(double decay, double damping)
    {
        var ir = ReverbImpulse.Create(new ReverbSettings(Decay: decay, Damping: damping, PreDelay: 0.05), Rate);
        var pre = (int)Math.Round(0.05 * Rate);
        Assert.Equal(pre + (int)Math.Round(decay * Rate), ir.Length);
        Assert.All(ir.Channel(0)[..pre], v => Assert.Equal(0, v));
        Assert.NotEqual(0, ir.Channel(0)[pre]);
        // Energy in 10 ms windows, in dB; a least-squares line from −5 to −35 dB below the start; T60 from its slope.
        var window = Rate / 100;
        var times = new List<double>();
        var levels = new List<double>();
        double? first = null;
        for (var start = pre; start + window <= ir.Length; start += window)
        {
            double e = 0;
            for (var c = 0; c < 2; c++)
                for (var i = start; i < start + window; i++) e += ir.Channel(c)[i] * (double)ir.Channel(c)[i];
            var db = 10 * Math.Log10(e);
            first ??= db;
            if (db <= first - 5 && db >= first - 35)
            {
                times.Add((start - pre + window / 2.0) / Rate);
                levels.Add(db);
            }
        }
        var (slope, _) = Fit(times, levels);
        var t60 = -60 / slope;
        Assert.True(Math.Abs(t60 - decay) <= 0.05 * decay, $"T60 {t60:0.000} s for a decay of {decay} s");
    }

    [Fact]
    public void More_damping_is_darker()
    {
        double High(double damping)
        {
            var ir = ReverbImpulse.Create(new ReverbSettings(Decay: 1, Damping: damping), Rate).Channel(0);
            // Energy of the first difference: weighs high frequencies (|1 − e^{-iω}|² = 4 sin²(ω/2)).
            double e = 0;
            for (var i = 1; i < ir.Length; i++) e += Math.Pow(ir[i] - ir[i - 1], 2);
            return e;
        }
        var bright = High(0);
        var mid = High(0.5);
        var dark = High(1);
        Assert.True(bright > 2 * mid && mid > 2 * dark, $"high-frequency energy {bright:0.000}, {mid:0.000}, {dark:0.000}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(10_000)]
    public void The_convolver_is_the_convolution_with_no_latency(int irLength)
    {
        var rng = new Random(irLength);
        var ir = new AudioBuffer(2, irLength, Rate);
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < irLength; i++) ir.Channel(c)[i] = (float)(rng.NextDouble() * 2 - 1) * MathF.Exp(-i / 3000f);
        var frames = 3 * PartitionedConvolver.BlockSize + 777;
        var inL = new float[frames];
        var inR = new float[frames];
        for (var i = 0; i < 5000; i++)
        {
            inL[i] = (float)(rng.NextDouble() * 2 - 1);
            inR[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        var outL = new float[frames];
        var outR = new float[frames];
        var convolver = new PartitionedConvolver(ir);
        for (var start = 0; start < frames; start += PartitionedConvolver.BlockSize)
        {
            var n = Math.Min(PartitionedConvolver.BlockSize, frames - start);
            convolver.Process(inL.AsSpan(start, n), inR.AsSpan(start, n), outL.AsSpan(start, n), outR.AsSpan(start, n));
        }
        var expectedL = Direct(inL, ir.Channel(0));
        var expectedR = Direct(inR, ir.Channel(1));
        var peak = expectedL.Concat(expectedR).Max(Math.Abs);
        for (var i = 0; i < frames; i++)
        {
            Assert.True(Math.Abs(outL[i] - expectedL[i]) <= 1e-5 * peak, $"left frame {i}: {outL[i]} vs {expectedL[i]}");
            Assert.True(Math.Abs(outR[i] - expectedR[i]) <= 1e-5 * peak, $"right frame {i}: {outR[i]} vs {expectedR[i]}");
        }
    }

    [Fact]
    public void An_impulse_in_gives_the_response_out_at_its_frame_and_silence_is_told()
    {
        var ir = ReverbImpulse.Create(new ReverbSettings(Decay: 0.2, PreDelay: 0.01), Rate);
        var convolver = new PartitionedConvolver(ir);
        Assert.True(convolver.IsSilent);
        var block = PartitionedConvolver.BlockSize;
        var inL = new float[block];
        var inR = new float[block];
        var outL = new float[block];
        var outR = new float[block];
        inL[100] = 1;
        var got = new List<float>();
        for (var b = 0; b < 8; b++)
        {
            convolver.Process(inL, inR, outL, outR);
            Assert.All(outR, v => Assert.True(Math.Abs(v) < 1e-6));
            got.AddRange(outL);
            if (b == 0) Assert.False(convolver.IsSilent);
            Array.Clear(inL);
        }
        for (var i = 0; i < ir.Length; i++) Assert.True(Math.Abs(got[100 + i] - ir.Channel(0)[i]) < 1e-6, $"frame {i}");
        Assert.All(got.Take(100), v => Assert.True(Math.Abs(v) < 1e-7));
        Assert.True(convolver.IsSilent); // 7 zero blocks > the 0.21 s response
    }

    private static double[] Direct(float[] x, float[] h)
    {
        var y = new double[x.Length];
        for (var n = 0; n < x.Length; n++)
        {
            if (x[n] == 0) continue;
            for (var k = 0; k < h.Length && n + k < y.Length; k++) y[n + k] += (double)x[n] * h[k];
        }
        return y;
    }

    private static (double Slope, double Intercept) Fit(List<double> x, List<double> y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        var slope = sxy / sxx;
        return (slope, my - slope * mx);
    }
}
