using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Tests;

/// <summary>A voice played block by block from the shared sample sounds as the voice rendered once into a buffer of
/// its own (issue 20: renders may not hold a copy per distinct voice), and a render limit stops a render that would
/// need more voices at once.</summary>
public class StreamingVoiceTests
{
    private static AudioBuffer Noise(int seed, int channels, int length, int rate)
    {
        var rng = new Random(seed);
        var b = new AudioBuffer(channels, length, rate);
        for (var c = 0; c < channels; c++)
            for (var i = 0; i < length; i++) b.Channel(c)[i] = (float)(rng.NextDouble() * 2 - 1) * MathF.Exp(-i / (length / 4f));
        return b;
    }

    private static Gen<VoiceKey> Keys =>
        from gain in Gen.Choose(0, 127)
        from pan in Gen.Choose(-100, 100)
        from filterKind in Gen.Choose(0, 3)
        from freq in Gen.Choose(20, 20000)
        from q in Gen.Choose(1, 300)
        from drive in Gen.Choose(0, 100)
        select new VoiceKey("s", gain / 127.0, pan / 100.0,
            filterKind == 3 ? null : new FilterEffect((FilterType)filterKind, freq, q / 10.0),
            drive < 30 ? null : new DistortionEffect(drive / 100.0));

    [Property(MaxTest = 200)]
    public Property A_streamed_voice_equals_the_rendered_voice_frame_for_frame_and_ends_where_it_is_trimmed()
    {
        var cases = from key in Keys
                    from length in Gen.Choose(0, 3000)
                    from channels in Gen.Choose(1, 2)
                    from block in Gen.Choose(1, 700)
                    select (key, length, channels, block);
        return Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var (key, length, channels, block) = c;
                var sample = Noise(length * 7 + channels, channels, length, 22050);
                var whole = VoiceRenderer.Render(sample, key);
                var voice = new StreamingVoice(sample, key);
                var left = new List<float>();
                var right = new List<float>();
                var l = new float[block];
                var r = new float[block];
                while (left.Count < voice.Length)
                {
                    var n = Math.Min(block, voice.Length - left.Count);
                    voice.Render(l.AsSpan(0, n), r.AsSpan(0, n));
                    left.AddRange(l.AsSpan(0, Math.Min(n, voice.Length - left.Count)));
                    right.AddRange(r.AsSpan(0, Math.Min(n, voice.Length - right.Count)));
                }
                var worst = 0.0;
                for (var i = 0; i < Math.Min(whole.Length, left.Count); i++)
                    worst = Math.Max(worst, Math.Max(Math.Abs(whole.Channel(0)[i] - left[i]), Math.Abs(whole.Channel(1)[i] - right[i])));
                return (voice.Length == whole.Length && worst <= 1e-20)
                    .Label($"length {voice.Length} vs {whole.Length}, worst difference {worst}");
            });
    }

    private static Pattern Dense(int distinctVelocities, bool effects)
    {
        var p = PatternFactory.Create(2, 7) with { Master = PatternFactory.Create(1, 1).Master with { Volume = 0.5 } };
        for (var t = 0; t < 2; t++)
            for (var s = 0; s < 16; s++)
            {
                p = PatternEditor.SetStepActive(p, t, s, true);
                p = PatternEditor.SetStepVelocity(p, t, s, 127 - (t * 16 + s) % distinctVelocities);
                if (effects && s % 3 == 0)
                    p = PatternEditor.SetStepEffects(p, t, s, new StepEffects(new FilterEffect(FilterType.Lowpass, 300 + 100 * s, 2),
                        s % 2 == 0 ? new DistortionEffect(0.4) : null, s % 5 == 0 ? new DelayEffect(0.1, 0.4, 0.3) : null));
            }
        return p;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(32, false)]
    [InlineData(32, true)]
    public void A_render_with_no_voice_cache_is_the_render_with_one(int velocities, bool effects)
    {
        var p = Dense(velocities, effects);
        var samples = p.Samples.Items.ToDictionary(s => s.Key, s => Noise(s.Key.Length, s.Key.Length % 2 + 1, 20_000, 22050));
        var cached = OfflineRenderer.Render(p, samples, new RenderOptions(22050, 2));
        var streamed = OfflineRenderer.Render(p, samples, new RenderOptions(22050, 2) { VoiceCacheBytes = 0 });
        Assert.Equal(cached.Length, streamed.Length);
        var worst = 0f;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < cached.Length; i++) worst = MathF.Max(worst, MathF.Abs(cached.Channel(c)[i] - streamed.Channel(c)[i]));
        Assert.True(worst <= 1e-6f, $"worst difference {worst}");
    }

    [Fact]
    public void Memory_does_not_grow_with_the_number_of_distinct_voices()
    {
        // 32 steps at 32 velocities of one 5 s sample: each distinct voice rendered into its own buffer would take
        // 32 × 5 s × 44.1 kHz × 2 ch × 4 bytes = 56 MB; streamed, the render holds the sample and a few blocks.
        var p = Dense(32, effects: true);
        var sample = Noise(3, 2, 5 * 44100, 44100);
        var samples = p.Samples.Items.ToDictionary(s => s.Key, _ => sample);
        var options = new RenderOptions(44100, 1) { VoiceCacheBytes = 4 << 20 };
        var sink = new NullSink();
        OfflineRenderer.Render(p, samples, options, sink); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        OfflineRenderer.Render(p, samples, options, sink);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 12 << 20, $"allocated {allocated / 1e6:0.0} MB");
    }

    [Fact]
    public void A_render_needing_more_voices_at_once_than_allowed_stops_naming_the_limit()
    {
        var p = Dense(1, effects: false);
        var sample = Noise(3, 1, 3 * 22050, 22050); // 3 s: every step of both rings still sounds at the end of the cycle
        var samples = p.Samples.Items.ToDictionary(s => s.Key, _ => sample);
        var e = Assert.Throws<RenderLimitException>(() =>
            OfflineRenderer.Render(p, samples, new RenderOptions(22050, 1) { MaxVoices = 8 }, new NullSink()));
        Assert.Equal("voices", e.Limit);
        Assert.Contains("more than 8 voices", e.Message);
        // The same render with room for every voice succeeds.
        OfflineRenderer.Render(p, samples, new RenderOptions(22050, 1) { MaxVoices = 64 }, new NullSink());
    }

    [Fact]
    public void A_cancelled_render_stops_within_a_few_blocks()
    {
        var p = Dense(1, effects: false);
        var samples = p.Samples.Items.ToDictionary(s => s.Key, _ => Noise(1, 1, 1000, 44100));
        using var cancel = new CancellationTokenSource();
        var sink = new CancellingSink(cancel, afterFrames: 100_000);
        Assert.ThrowsAny<OperationCanceledException>(() => OfflineRenderer.Render(p, samples, new RenderOptions(44100, 10_000), sink, cancel.Token));
        Assert.InRange(sink.Frames, 100_000, 100_000 + 17 * 2048);
    }

    private class NullSink : IAudioSink
    {
        public long Frames { get; private set; }

        public virtual void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => Frames += left.Length;
    }

    private sealed class CancellingSink(CancellationTokenSource cancel, long afterFrames) : NullSink
    {
        public override void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            base.Write(left, right);
            if (Frames >= afterFrames) cancel.Cancel();
        }
    }
}
