using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Core.Model;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Tests;

public class VoiceChainTests
{
    private static double Db(double x) => 20 * Math.Log10(x);

    /// <summary>Measured gain of the filter on a steady sine, after it has settled.</summary>
    private static double MeasuredGain(FilterType type, double f0, double q, int rate, double frequency)
    {
        var n = rate;
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = (float)Math.Sin(2 * Math.PI * frequency * i / rate);
        new BiquadFilter(type, f0, q, rate).Process(x);
        double sum = 0, reference = 0;
        for (var i = n / 2; i < n; i++)
        {
            sum += x[i] * (double)x[i];
            var s = Math.Sin(2 * Math.PI * frequency * i / rate);
            reference += s * s;
        }
        return Math.Sqrt(sum / reference);
    }

    [Theory]
    [InlineData(FilterType.Lowpass, 1000, 1, 200)]
    [InlineData(FilterType.Lowpass, 1000, 1, 1000)]
    [InlineData(FilterType.Lowpass, 500, 12, 500)]
    [InlineData(FilterType.Lowpass, 2000, -3, 8000)]
    [InlineData(FilterType.Highpass, 1000, 1, 250)]
    [InlineData(FilterType.Highpass, 300, 6, 300)]
    [InlineData(FilterType.Bandpass, 1000, 5, 1000)]
    [InlineData(FilterType.Bandpass, 1000, 5, 1400)]
    public void Biquad_response_matches_the_web_audio_formulas_within_a_tenth_of_a_db(FilterType type, double f0, double q, double frequency)
    {
        var expected = BiquadFilter.Magnitude(type, f0, q, 48000, frequency);
        var measured = MeasuredGain(type, f0, q, 48000, frequency);
        Assert.InRange(Db(measured) - Db(expected), -0.1, 0.1);
    }

    [Fact]
    public void Web_audio_lowpass_q_is_in_decibels()
    {
        // At the cutoff the RBJ lowpass gain equals its linear Q; Web Audio gives Q in dB, so Q = 6 dB → ×1.995.
        Assert.Equal(Math.Pow(10, 6 / 20.0), BiquadFilter.Magnitude(FilterType.Lowpass, 1000, 6, 48000, 1000), 6);
        // Bandpass peaks at unity, and its Q is linear.
        Assert.Equal(1.0, BiquadFilter.Magnitude(FilterType.Bandpass, 1000, 4, 48000, 1000), 9);
        Assert.Equal(1.0, BiquadFilter.Magnitude(FilterType.Lowpass, 1000, 0, 48000, 0), 9);
        Assert.Equal(0.0, BiquadFilter.Magnitude(FilterType.Highpass, 1000, 0, 48000, 0), 9);
    }

    [Fact]
    public void Distortion_amount_zero_is_the_identity_and_more_drive_shapes_harder()
    {
        var curve = DistortionCurve.Create(0);
        for (var i = 0; i < curve.Length; i++) Assert.Equal(2.0 * i / (curve.Length - 1) - 1, curve[i], 6);
        var soft = DistortionCurve.Create(0.2);
        var hard = DistortionCurve.Create(1);
        var quarter = (curve.Length - 1) * 5 / 8; // x = 0.25
        Assert.True(hard[quarter] > soft[quarter] && soft[quarter] > curve[quarter]);
        Assert.Equal(1f, hard[^1], 6);
        Assert.Equal(-1f, hard[0], 6);
    }

    [Fact]
    public void Waveshaper_interpolates_and_clamps_like_web_audio()
    {
        var shaper = new WaveShaper([-1f, 0.5f, 1f]);
        float[] x = [-2f, -1f, -0.5f, 0f, 0.5f, 1f, 3f];
        shaper.Process(x);
        Assert.Equal([-1f, -1f, -0.25f, 0.5f, 0.75f, 1f, 1f], x);
    }

    [Fact]
    public void Delay_impulse_response_is_echoes_scaled_by_mix_and_feedback_each_trip_one_quantum_late()
    {
        // As Chromium: echo k (1-based) at k·D + (k−1)·128 frames, level mix·fb^(k−1).
        const int rate = 1000;
        var delay = new FeedbackDelay(new DelayEffect(0.3, 0.5, 0.8), rate);
        var send = new float[3000];
        send[0] = 1;
        var output = new float[3000];
        delay.Process(send, output);
        var echoes = Enumerable.Range(1, 7).ToDictionary(k => k * 300 + (k - 1) * FeedbackDelay.CycleLatency, k => 0.8 * Math.Pow(0.5, k - 1));
        for (var i = 0; i < output.Length; i++)
            Assert.Equal(echoes.GetValueOrDefault(i), output[i], 6);
    }

    [Theory]
    [InlineData(-1, 1, 0)]
    [InlineData(0, 0.70710678, 0.70710678)]
    [InlineData(1, 0, 1)]
    [InlineData(0.5, 0.38268343, 0.92387953)]
    public void Equal_power_pan_law(double pan, double left, double right)
    {
        var (l, r) = EqualPowerPan.MonoGains(pan);
        Assert.Equal(left, l, 6);
        Assert.Equal(right, r, 6);
    }

    [Fact]
    public void Stereo_sources_pan_like_the_stereo_panner_node()
    {
        float[] l = [1f], r = [1f], outL = [0f], outR = [0f];
        EqualPowerPan.Stereo(l, r, 1, 0, outL, outR);
        Assert.Equal((1f, 1f), (outL[0], outR[0]));          // centre leaves a stereo source alone
        EqualPowerPan.Stereo(l, r, 1, -1, outL, outR);
        Assert.Equal(2f, outL[0], 6);                        // hard left folds the right channel in
        Assert.Equal(0f, outR[0], 6);
    }

    [Property(MaxTest = 200)]
    public Property Limiter_is_the_identity_under_its_ceiling()
    {
        var gen = from ceiling in Gen.Choose(-20, 0)
                  from values in Gen.ArrayOf(Gen.Choose(-1000, 1000))
                  select (ceiling, values);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var c = (float)Math.Pow(10, x.ceiling / 20.0);
            var left = x.values.Select(v => v / 1000f * c).ToArray();
            var right = left.Reverse().ToArray();
            var (l0, r0) = (left.ToArray(), right.ToArray());
            Limiter.Process(left, right, x.ceiling, 44100);
            return left.SequenceEqual(l0) && right.SequenceEqual(r0);
        });
    }

    [Property(MaxTest = 200)]
    public Property Limiter_never_lets_a_sample_exceed_the_ceiling()
    {
        var gen = from ceiling in Gen.Choose(-20, 0)
                  from values in Gen.ArrayOf(Gen.Choose(-40000, 40000))
                  select (ceiling, values);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var c = (float)Math.Pow(10, x.ceiling / 20.0);
            var left = x.values.Select(v => v / 1000f).ToArray();
            var right = left.Select(v => -v * 0.5f).ToArray();
            Limiter.Process(left, right, x.ceiling, 44100);
            return left.All(v => Math.Abs(v) <= c) && right.All(v => Math.Abs(v) <= c);
        });
    }

    [Fact]
    public void Compressor_follows_its_static_curve_on_a_steady_tone()
    {
        var settings = new CompressorSettings(true, -24, 0, 4, 0.003, 0.25);
        var c = new Compressor(settings, 48000);
        var makeupDb = -0.6 * (-24 + 24 / 4.0);             // (1/curve(0 dB))^0.6
        var left = new float[48000];
        for (var i = 0; i < left.Length; i++) left[i] = 0.5f; // −6 dBFS, 18 dB over the threshold
        var right = left.ToArray();
        c.Process(left, right);
        var expectedDb = -24 + 18 / 4.0 + makeupDb;
        Assert.InRange(Db(left[^1]), expectedDb - 1, expectedDb + 1);

        var quiet = new Compressor(settings, 48000);
        float[] q = Enumerable.Repeat(0.01f, 4800).ToArray(), qr = q.ToArray();  // −40 dBFS, under the threshold
        quiet.Process(q, qr);
        Assert.Equal(-40 + makeupDb, Db(q[^1]), 1);
    }
}
