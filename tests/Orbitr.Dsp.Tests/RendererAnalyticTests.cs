using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Tests;

/// <summary>Renders with a one-sample impulse as every sample: each note must appear at exactly round(t·rate) with
/// amplitude impulse × velocity/127 × volume × panL/R × master, and every other output sample must be zero.</summary>
public class RendererAnalyticTests
{
    private const float Impulse = 0.5f;

    private static Dictionary<string, AudioBuffer> Impulses(Pattern p, int rate) =>
        p.Samples.Items.ToDictionary(s => s.Key, _ =>
        {
            var b = new AudioBuffer(1, 1, rate);
            b.Channel(0)[0] = Impulse;
            return b;
        });

    private static Pattern Plain(Pattern p) =>
        p with { Master = p.Master with { Compressor = p.Master.Compressor with { Enabled = false }, Limiter = p.Master.Limiter with { Enabled = false } } };

    private static void AssertAnalytic(Pattern pattern, int rate, int cycles)
    {
        var p = Plain(pattern);
        var output = OfflineRenderer.Render(p, Impulses(p, rate), new RenderOptions(rate, cycles, TailSeconds: 0.1));
        var expectedL = new double[output.Length];
        var expectedR = new double[output.Length];
        var events = Scheduler.EventsForCycles(p, cycles);
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            var at = Timing.ToSampleIndex(e.Time, rate);
            var (pl, pr) = EqualPowerPan.MonoGains(e.Pan);
            var g = Impulse * e.Gain * p.Tracks[e.TrackIndex].Volume * p.Master.Volume;
            expectedL[at] += g * pl;
            expectedR[at] += g * pr;
        }
        for (var i = 0; i < output.Length; i++)
        {
            AssertClose(expectedL[i], output.Channel(0)[i], i);
            AssertClose(expectedR[i], output.Channel(1)[i], i);
        }
    }

    private static void AssertClose(double expected, float actual, int index)
    {
        if (expected == 0)
            Assert.True(actual == 0, $"sample {index} should be silent but is {actual}");
        else
            Assert.True(Math.Abs(actual - expected) <= 1e-4 * Math.Abs(expected), $"sample {index}: expected {expected}, got {actual}");
    }

    private static Pattern Groove(double swing)
    {
        var p = PatternFactory.Create(6, 77) with { Swing = swing };
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 3, 2);
        p = PatternEditor.EuclideanFill(p, 2, 13);
        p = PatternEditor.SetTrackPan(p, 1, -0.6);
        p = PatternEditor.SetTrackPan(p, 2, 0.9);
        p = PatternEditor.SetTrackVolume(p, 2, 0.35);
        p = PatternEditor.SetStepVelocity(p, 2, 3, 17);
        return p;
    }

    [Theory]
    [InlineData(44100, 0)]
    [InlineData(48000, 35)]
    [InlineData(22050, 100)]
    public void Notes_land_on_their_sample_with_their_gain_and_pan(int rate, double swing) =>
        AssertAnalytic(Groove(swing), rate, 2);

    [Fact]
    public void Micro_timing_early_and_late_is_sample_exact()
    {
        var p = Groove(20);
        p = PatternEditor.SetStepTiming(p, 0, 0, -50);   // first note clamps to 0
        p = PatternEditor.SetStepTiming(p, 0, 4, -12.3);
        p = PatternEditor.SetStepTiming(p, 1, 2, 49.9);
        p = PatternEditor.SetStepTiming(p, 2, 5, 7.77);
        AssertAnalytic(p, 44100, 3);
    }

    [Fact]
    public void Polymetric_rings_cycle_on_their_own_length()
    {
        var p = Groove(10);
        p = PatternEditor.SetTrackLength(p, 3, 5);
        p = PatternEditor.EuclideanFill(p, 3, 2);
        p = PatternEditor.SetTrackLength(p, 4, 7);
        p = PatternEditor.EuclideanFill(p, 4, 3, 1);
        AssertAnalytic(p, 44100, 4);
    }

    [Fact]
    public void Mute_and_solo_silence_the_right_rings()
    {
        var p = PatternEditor.SetTrackMute(Groove(0), 0, true);
        AssertAnalytic(p, 44100, 1);
        AssertAnalytic(PatternEditor.SetTrackSolo(p, 2, true), 44100, 1);
    }

    [Fact]
    public void Probability_plays_exactly_the_scheduled_notes()
    {
        var p = Groove(0);
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepProbability(p, 2, s, 0.5);
        AssertAnalytic(p, 44100, 8);
    }

    [Fact]
    public void Step_sample_overrides_the_track_sample()
    {
        var p = PatternEditor.SetStepSample(PatternEditor.EuclideanFill(PatternFactory.Create(6, 1), 0, 4), 0, 4, "snare");
        var rate = 44100;
        var samples = Impulses(Plain(p), rate);
        samples["snare"] = new AudioBuffer([[0.25f]], rate);
        var output = OfflineRenderer.Render(Plain(p), samples, new RenderOptions(rate, 1, 0));
        var at = Timing.ToSampleIndex(4 * p.StepSeconds, rate);
        var (l, _) = EqualPowerPan.MonoGains(0);
        Assert.Equal(0.25 * 100 / 127.0 * 0.8 * 0.8 * l, output.Channel(0)[at], 5);
    }

    [Fact]
    public void A_missing_sample_is_named()
    {
        var p = Groove(0);
        var samples = Impulses(p, 44100);
        samples.Remove("snare");
        var ex = Assert.Throws<MissingSampleException>(() => OfflineRenderer.Render(p, samples, new RenderOptions()));
        Assert.Equal("snare", ex.Key);
    }

    [Fact]
    public void A_sample_at_another_rate_is_refused()
    {
        var p = Groove(0);
        var samples = Impulses(p, 22050);
        Assert.Throws<ArgumentException>(() => OfflineRenderer.Render(p, samples, new RenderOptions(44100)));
    }

    [Fact]
    public void Render_length_is_the_span_plus_the_explicit_tail()
    {
        var p = Plain(Groove(0));
        var output = OfflineRenderer.Render(p, Impulses(p, 44100), new RenderOptions(44100, 3, 1.25));
        Assert.Equal((int)Math.Round((3 * p.CycleSeconds + 1.25) * 44100), output.Length);
    }

    [Fact]
    public void Auto_tail_lets_a_delay_ring_out_and_stops_after_silence()
    {
        var p = PatternFactory.Create(1, 1);
        p = PatternEditor.ToggleStep(p, 0, 0);
        p = PatternEditor.SetStepEffects(p, 0, 0, new StepEffects(Delay: new DelayEffect(0.7, 0.1, 1)));
        p = Plain(p);
        var output = OfflineRenderer.Render(p, Impulses(p, 44100), new RenderOptions(44100, 1));
        // Echo k sounds at 0.7·(k+1) s + k·128 frames (Chromium's cycle latency) with peak·0.1^k: the last one
        // above −90 dBFS decides the length.
        var peak = Impulse * 100 / 127.0 * 0.8 * 0.8 * Math.Sqrt(0.5);
        var loudEchoes = Enumerable.Range(0, 20).Where(k => peak * Math.Pow(0.1, k) > Math.Pow(10, -90 / 20.0)).Max();
        var lastEcho = Timing.ToSampleIndex(0.7 * (loudEchoes + 1), 44100) + loudEchoes * FeedbackDelay.CycleLatency;
        Assert.Equal(lastEcho + 1, output.Length);
        Assert.Equal(peak * 0.1, output.Channel(0)[Timing.ToSampleIndex(1.4, 44100) + FeedbackDelay.CycleLatency], 6);
        Assert.Equal(0f, output.Channel(0)[Timing.ToSampleIndex(1.4, 44100)]);
        Assert.Equal(0f, output.Channel(0)[Timing.ToSampleIndex(1.4, 44100) + FeedbackDelay.CycleLatency + 1]);

        // With a long feedback the tail stops at the 4 s cap.
        var ringing = PatternEditor.SetStepEffects(p, 0, 0, new StepEffects(Delay: new DelayEffect(0.5, 0.9, 1)));
        var capped = OfflineRenderer.Render(ringing, Impulses(ringing, 44100), new RenderOptions(44100, 1));
        Assert.True(capped.Length <= (int)Math.Round((p.CycleSeconds + RenderOptions.MaxAutoTail) * 44100));
        Assert.True(capped.Length > (int)Math.Round((p.CycleSeconds + 3.4) * 44100));
    }

    [Fact]
    public void Rendering_twice_gives_identical_audio()
    {
        var p = Groove(30);
        p = PatternEditor.SetStepEffects(p, 0, 0, new StepEffects(new FilterEffect(FilterType.Lowpass, 800, 3), new DistortionEffect(0.5), new DelayEffect(0.3, 0.6, 0.4)));
        var samples = p.Samples.Items.ToDictionary(s => s.Key, _ => Noise(2000, 44100));
        var a = OfflineRenderer.Render(p, samples, new RenderOptions(44100, 2));
        var b = OfflineRenderer.Render(p, samples, new RenderOptions(44100, 2));
        Assert.Equal(a.Channel(0), b.Channel(0));
        Assert.Equal(a.Channel(1), b.Channel(1));
    }

    [Fact]
    public void Limiter_keeps_a_loud_render_under_the_ceiling()
    {
        var p = Groove(0);
        p = p with { Master = p.Master with { Volume = 1, Compressor = p.Master.Compressor with { Enabled = false } } };
        for (var t = 0; t < 3; t++) p = PatternEditor.SetTrackVolume(p, t, 1);
        var samples = p.Samples.Items.ToDictionary(s => s.Key, _ => Noise(4000, 44100, 1f));
        var output = OfflineRenderer.Render(p, samples, new RenderOptions(44100, 1));
        Assert.True(output.Peak() <= (float)Math.Pow(10, -1 / 20.0) + 1e-7f, $"peak {output.Peak()}");
    }

    internal static AudioBuffer Noise(int length, int rate, float level = 0.5f)
    {
        var b = new AudioBuffer(1, length, rate);
        var rng = new Random(3);
        for (var i = 0; i < length; i++) b.Channel(0)[i] = level * (float)(rng.NextDouble() * 2 - 1) * (1 - (float)i / length);
        return b;
    }
}
