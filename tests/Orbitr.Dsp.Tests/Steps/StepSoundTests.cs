using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Tests.Steps;

/// <summary>Analytic checks of the pattern-v2 step fields through the whole renderer (compressor and limiter off):
/// pitch reads the sample at p₀ + k·r, start and reverse pick the frames, the gate and choke fades reach 0 at the
/// frames defined, ratchet hits land on their exact samples.</summary>
public class StepSoundTests
{
    private const int Rate = 44100;

    /// <summary>One ring, one active step 0 with <paramref name="change"/>, its sample <paramref name="sample"/>; the
    /// expected output of the voice is then out[k] = voice[k] × 100/127 × volume 0.8 × pan 0.7071 × master 0.8.</summary>
    private static (Pattern Pattern, Dictionary<string, AudioBuffer> Samples) OneStep(AudioBuffer sample, Func<Step, Step> change)
    {
        var p = PatternFactory.Create(1, 1);
        p = PatternEditor.UpdateStep(p, 0, 0, s => change(s with { Active = true }));
        p = Plain(p);
        return (p, new Dictionary<string, AudioBuffer> { ["kick"] = sample });
    }

    private static Pattern Plain(Pattern p) =>
        p with { Master = p.Master with { Compressor = p.Master.Compressor with { Enabled = false }, Limiter = p.Master.Limiter with { Enabled = false } } };

    private static readonly double Scale = 100 / 127.0 * 0.8 * EqualPowerPan.MonoGains(0).Left * 0.8;

    private static float[] Render(Pattern p, Dictionary<string, AudioBuffer> samples, double tail = 0.5, bool fill = false, long cache = RenderOptions.DefaultVoiceCacheBytes) =>
        OfflineRenderer.Render(p, samples, new RenderOptions(Rate, 1, tail) { Fill = fill, VoiceCacheBytes = cache }).Channel(0);

    private static void Close(double expected, float actual, int frame) =>
        Assert.True(Math.Abs(actual - expected) < 1e-6, $"frame {frame}: expected {expected}, got {actual}");

    private static AudioBuffer Mono(float[] data) => new([data], Rate);

    private static AudioBuffer ImpulseTrain(int length, int spacing)
    {
        var d = new float[length];
        for (var i = 0; i < length; i += spacing) d[i] = 1;
        return Mono(d);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-12)]
    [InlineData(12)]
    [InlineData(3.5)]
    [InlineData(-24)]
    public void A_pitched_impulse_train_lands_where_the_rate_says(double semitones)
    {
        var (p, samples) = OneStep(ImpulseTrain(1000, 100), s => s with { Pitch = semitones });
        var output = Render(p, samples);
        var r = (double)(float)Math.Pow(2, semitones / 12);
        // Linear interpolation of an impulse at frame 100m read at position x gives max(0, 1 − |x − 100m|).
        var frames = (int)Math.Ceiling(1000 / r - 1e-9);
        var pos = 0.0;
        for (var k = 0; k < output.Length; k++)
        {
            var expected = 0.0;
            if (k < frames)
            {
                for (var m = 0; m < 10; m++) expected += Math.Max(0, 1 - Math.Abs(pos - 100 * m));
                pos += r;
            }
            Assert.True(Math.Abs(output[k] - expected * Scale) < 1e-6, $"frame {k}: expected {expected * Scale}, got {output[k]}");
        }
    }

    [Fact]
    public void The_last_partial_frame_extrapolates_from_the_last_two_as_chromium_does()
    {
        // A ramp 0, 1, …, 9 read at rate 0.75 ends at frames whose position lies in [9, 10): 9 + (9 − 8)·f.
        var (p, samples) = OneStep(Mono([.. Enumerable.Range(0, 10).Select(i => (float)i)]), s => s with { Pitch = 12 * Math.Log2(0.75) });
        var output = Render(p, samples);
        var r = (double)(float)0.75;
        var pos = 0.0;
        var k = 0;
        for (; pos < 10; pos += r, k++) Assert.Equal(pos * Scale, output[k], 5); // the ramp's own continuation
        Assert.Equal(0, output[k]);
        Assert.Equal(14, k); // positions 0, 0.75, …, 9.75: 14 frames
    }

    [Fact]
    public void Start_begins_at_the_floor_of_start_times_frames()
    {
        var ramp = Enumerable.Range(0, 1000).Select(i => i / 1000f).ToArray();
        var (p, samples) = OneStep(Mono(ramp), s => s with { Start = 0.3337 });
        var output = Render(p, samples);
        for (var k = 0; k < 1000 - 333; k++) Close(ramp[333 + k] * Scale, output[k], k);
        Assert.Equal(0, output[1000 - 333]);
    }

    [Fact]
    public void Reverse_plays_the_sample_back_to_front_and_start_counts_in_the_reversed_sample()
    {
        var ramp = Enumerable.Range(0, 1000).Select(i => (i + 1) / 1000f).ToArray();
        var (p, samples) = OneStep(Mono(ramp), s => s with { Reverse = true });
        var output = Render(p, samples);
        for (var k = 0; k < 1000; k++) Close(ramp[999 - k] * Scale, output[k], k);
        Assert.Equal(0, output[1000]);

        (p, samples) = OneStep(Mono(ramp), s => s with { Reverse = true, Start = 0.25 });
        output = Render(p, samples);
        for (var k = 0; k < 750; k++) Close(ramp[749 - k] * Scale, output[k], k);
        Assert.Equal(0, output[750]);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.005)]
    [InlineData(0.0123456)]
    public void The_gate_holds_then_falls_linearly_to_zero_over_5_ms(double gate)
    {
        var (p, samples) = OneStep(Mono(Enumerable.Repeat(1f, Rate).ToArray()), s => s with { Gate = gate });
        foreach (var cache in new[] { RenderOptions.DefaultVoiceCacheBytes, 0L })
        {
            var output = Render(p, samples, cache: cache);
            var g0 = gate * Rate;
            var zeroFrom = (int)Math.Ceiling(g0 + 0.005 * Rate);
            for (var k = 0; k < zeroFrom + 500; k++)
            {
                var expected = k < g0 ? 1 : Math.Max(0, 1 - (k - g0) / (0.005 * Rate));
                Assert.True(Math.Abs(output[k] - expected * Scale) < 1e-6, $"cache {cache}, frame {k}: expected {expected * Scale}, got {output[k]}");
            }
            Assert.True(output[zeroFrom - 1] > 0);
            Assert.All(output[zeroFrom..], v => Assert.Equal(0, v));
        }
    }

    [Fact]
    public void A_choke_fades_every_earlier_voice_of_its_group_from_the_new_onset()
    {
        // Rings 0 and 1 in group 1 (a long DC sample each), ring 2 outside it: ring 1's step 4 chokes ring 0's step 0;
        // ring 0's own step 8 then chokes ring 1; ring 2 sounds on.
        var p = Plain(PatternFactory.Create(3, 1));
        p = PatternEditor.UpdateTrack(p, 0, t => t with { Choke = 1, Pan = -1 });
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Choke = 1, Pan = -1 });
        p = PatternEditor.UpdateTrack(p, 2, t => t with { Pan = 1 });
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        p = PatternEditor.SetStepActive(p, 1, 4, true);
        p = PatternEditor.SetStepActive(p, 0, 8, true);
        p = PatternEditor.SetStepActive(p, 2, 0, true);
        var dc = Mono(Enumerable.Repeat(1f, 2 * Rate).ToArray());
        var half = Mono(Enumerable.Repeat(0.5f, 2 * Rate).ToArray());
        var samples = new Dictionary<string, AudioBuffer> { ["kick"] = dc, ["snare"] = half, ["closed-hat"] = dc };
        foreach (var cache in new[] { RenderOptions.DefaultVoiceCacheBytes, 0L })
        {
            var output = OfflineRenderer.Render(p, samples, new RenderOptions(Rate, 1, 0) { VoiceCacheBytes = cache });
            var left = output.Channel(0);
            var right = output.Channel(1);
            var g = 100 / 127.0 * 0.8 * 0.8; // pan −1 puts everything left
            var c1 = Timing.ToSampleIndex(4 * p.StepSeconds, Rate);
            var c2 = Timing.ToSampleIndex(8 * p.StepSeconds, Rate);
            double Expected(long k) =>
                g * (1.0 * Envelopes.Fade(k, c1, Rate)                                         // ring 0, step 0
                     + (k >= c1 ? 0.5 * Envelopes.Fade(k, c2, Rate) : 0)                        // ring 1, step 4
                     + (k >= c2 ? 1.0 : 0));                                                    // ring 0, step 8
            for (long k = 0; k < output.Length; k += k is > 20_000 and < 23_000 or > 43_000 and < 45_000 ? 1 : 97)
                Assert.True(Math.Abs(left[k] - Expected(k)) < 1e-5, $"cache {cache}, frame {k}: expected {Expected(k)}, got {left[k]}");
            Assert.Equal(0, Envelopes.Fade(c1 + 221, c1, Rate));
            Assert.True(Envelopes.Fade(c1 + 220, c1, Rate) > 0);
            // Ring 2 (not in the group) is untouched on the right.
            Assert.Equal(g, right[c2 + 1000], 5);
        }
    }

    [Fact]
    public void Ratchet_hits_land_on_their_exact_samples()
    {
        var p = Plain(PatternFactory.Create(1, 1) with { Swing = 40 });
        p = PatternEditor.UpdateStep(p, 0, 3, s => s with { Active = true, Ratchet = 3, Timing = 7.5 });
        p = PatternEditor.UpdateStep(p, 0, 8, s => s with { Active = true, Ratchet = 8 });
        var samples = new Dictionary<string, AudioBuffer> { ["kick"] = Mono([1f]) };
        var output = Render(p, samples);
        var step = p.StepSeconds;
        var expected = new List<long>();
        var t3 = 3 * step + 0.4 * step / 2 + 0.0075;
        for (var k = 0; k < 3; k++) expected.Add(Timing.ToSampleIndex(t3 + k * step / 3, Rate));
        for (var k = 0; k < 8; k++) expected.Add(Timing.ToSampleIndex(8 * step + k * step / 8, Rate));
        var onsets = Enumerable.Range(0, output.Length).Where(i => output[i] != 0).Select(i => (long)i).ToList();
        Assert.Equal(expected, onsets);
        Assert.All(onsets, i => Assert.Equal(Scale, output[i], 6));
    }

    [Fact]
    public void Streaming_and_cached_voices_agree_for_shaped_voices()
    {
        var noise = new float[5000];
        var rng = new Random(3);
        for (var i = 0; i < noise.Length; i++) noise[i] = (float)(rng.NextDouble() * 2 - 1);
        var p = Plain(PatternFactory.Create(1, 1));
        p = PatternEditor.UpdateStep(p, 0, 0, s => s with { Active = true, Pitch = -5.3, Start = 0.2, Reverse = true, Gate = 0.07, Effects = new StepEffects(new FilterEffect(FilterType.Lowpass, 900, 3)) });
        p = PatternEditor.UpdateStep(p, 0, 1, s => s with { Active = true, Pitch = 19, Ratchet = 2 });
        var samples = new Dictionary<string, AudioBuffer> { ["kick"] = Mono(noise) };
        var cached = Render(p, samples);
        var streamed = Render(p, samples, cache: 0);
        Assert.Equal(cached.Length, streamed.Length);
        for (var i = 0; i < cached.Length; i++) Assert.Equal(cached[i], streamed[i]);
    }

    [Fact]
    public void Conditions_and_the_fill_switch_decide_which_cycles_play()
    {
        var p = Plain(PatternFactory.Create(1, 1));
        p = PatternEditor.UpdateStep(p, 0, 0, s => s with { Active = true, Condition = TrigCondition.Ratio(2, 3) });
        p = PatternEditor.UpdateStep(p, 0, 8, s => s with { Active = true, Condition = TrigCondition.Fill });
        var samples = new Dictionary<string, AudioBuffer> { ["kick"] = Mono([1f]) };
        var cycle = p.CycleSeconds;
        long Onset(int c, int step) => Timing.ToSampleIndex(c * cycle + step * p.StepSeconds, Rate);
        foreach (var fill in new[] { false, true })
        {
            var output = OfflineRenderer.Render(p, samples, new RenderOptions(Rate, 8, 0) { Fill = fill }).Channel(0);
            var onsets = Enumerable.Range(0, output.Length).Where(i => output[i] != 0).Select(i => (long)i).ToList();
            var expected = new List<long>();
            for (var c = 0; c < 8; c++)
            {
                if (c % 3 == 1) expected.Add(Onset(c, 0));
                if (fill) expected.Add(Onset(c, 8));
            }
            Assert.Equal(expected, onsets);
        }
    }

    [Fact]
    public void The_reverb_return_is_the_rings_send_convolved_with_the_impulse_response()
    {
        var settings = new ReverbSettings(true, Decay: 0.4, Damping: 0.2, PreDelay: 0.005, Return: 0.5);
        var p = Plain(PatternFactory.Create(1, 1));
        p = p with { Master = p.Master with { Reverb = settings } };
        p = PatternEditor.UpdateTrack(p, 0, t => t with { Reverb = 0.7 });
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        var samples = new Dictionary<string, AudioBuffer> { ["kick"] = Mono([1f]) };
        var output = OfflineRenderer.Render(p, samples, new RenderOptions(Rate, 1, null));
        var ir = Orbitr.Dsp.Reverb.ReverbImpulse.Create(settings, Rate);
        var dry = 100 / 127.0 * 0.8 * EqualPowerPan.MonoGains(0).Left; // after velocity, pan and volume
        for (var k = 0; k < ir.Length; k++)
        {
            var expectedL = ((k == 0 ? dry : 0) + dry * 0.7 * 0.5 * ir.Channel(0)[k]) * 0.8;
            var expectedR = ((k == 0 ? dry : 0) + dry * 0.7 * 0.5 * ir.Channel(1)[k]) * 0.8;
            Assert.True(Math.Abs(output.Channel(0)[k] - expectedL) < 1e-6, $"left frame {k}: expected {expectedL}, got {output.Channel(0)[k]}");
            Assert.True(Math.Abs(output.Channel(1)[k] - expectedR) < 1e-6, $"right frame {k}");
        }
        // Without sends (or with the reverb off) the render is the dry one.
        var off = OfflineRenderer.Render(p with { Master = p.Master with { Reverb = settings with { Enabled = false } } }, samples, new RenderOptions(Rate, 1, 0.5));
        Assert.Equal((float)(dry * 0.8), off.Channel(0)[0], 6);
        Assert.All(off.Channel(0)[1..], v => Assert.Equal(0, v));
    }
}
