using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NAudio.Midi;
using Orbitr.Core.Editing;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Voice;
using Orbitr.Dsp.Wav;

namespace Orbitr.Dsp.Tests;

/// <summary>The renderer streams: exactly the notes of N cycles (by the grid, at every tempo and rate), the same audio
/// however it is consumed, and memory that does not grow with the length.</summary>
public class StreamingRenderTests
{
    private const float Impulse = 0.5f;

    private static Pattern Plain(Pattern p) =>
        p with { Master = p.Master with { Volume = 1, Compressor = p.Master.Compressor with { Enabled = false }, Limiter = p.Master.Limiter with { Enabled = false } } };

    private static Dictionary<string, AudioBuffer> Impulses(Pattern p, int rate) =>
        p.Samples.Items.ToDictionary(s => s.Key, _ => new AudioBuffer([[Impulse]], rate));

    private sealed record Case(Pattern Pattern, int Cycles, int Rate);

    private static readonly int[] Rates = [22050, 32000, 44100, 48000, 88200, 96000];

    private static Gen<Case> Cases =>
        from seed in Gen.Choose(0, int.MaxValue)
        from bpmKind in Gen.Choose(0, 2)
        from bpmTenths in Gen.Choose(400, 2000)
        from rateChoice in Gen.Choose(0, Rates.Length)
        from anyRate in Gen.Choose(22050, 96000)
        from cycles in Gen.Choose(1, 64)
        select Build(seed, bpmKind switch { 0 => Math.Round(bpmTenths / 10.0), 1 => bpmTenths / 10.0, _ => 40 + (bpmTenths - 400) / 1600.0 * 160 + 1e-9 },
            rateChoice < Rates.Length ? Rates[rateChoice] : anyRate, cycles);

    private static Case Build(int seed, double bpm, int rate, int cycles)
    {
        var rng = new Random(seed);
        var length = rng.Next(1, 65);
        var p = PatternEditor.SetLength(PatternFactory.Create(rng.Next(1, 9), (uint)seed), length) with { Bpm = bpm, Swing = rng.Next(3) == 0 ? 100 : rng.Next(101) };
        for (var t = 0; t < p.Tracks.Count; t++)
        {
            if (rng.Next(3) == 0) p = PatternEditor.SetTrackLength(p, t, rng.Next(1, 65));
            p = PatternEditor.SetTrackVolume(p, t, 1);
            var steps = p.Tracks[t].Length;
            for (var s = 0; s < steps; s++)
            {
                if (rng.Next(2) == 0) continue;
                p = PatternEditor.SetStepActive(p, t, s, true);
                if (rng.Next(4) == 0) p = PatternEditor.SetStepTiming(p, t, s, rng.Next(3) == 0 ? (rng.Next(2) == 0 ? -50 : 50) : rng.NextDouble() * 100 - 50);
            }
        }
        // Keep each render to about 20 s of audio: at most as many cycles as fit (at least one).
        var fit = Math.Max(1, (int)(20 / p.CycleSeconds));
        return new Case(Plain(p), Math.Min(cycles, fit), rate);
    }

    /// <summary>The render of a case, and the onsets the integer rule puts in it (index → summed left gain).</summary>
    private static (AudioBuffer Output, Dictionary<long, double> Expected, int Notes) RenderCase(Case c)
    {
        var (p, cycles, rate) = c;
        var output = OfflineRenderer.Render(p, Impulses(p, rate), new RenderOptions(rate, cycles));
        var expected = new Dictionary<long, double>();
        var count = 0;
        var (panL, _) = EqualPowerPan.MonoGains(0);
        for (var t = 0; t < p.Tracks.Count; t++)
        {
            var track = p.Tracks[t];
            for (long n = 0; n < (long)cycles * p.Length; n++)
            {
                var step = track.Steps[(int)(n % track.Steps.Count)];
                if (!step.Active) continue;
                var at = Timing.ToSampleIndex(Timing.NoteTime(p, n, step.Timing), rate);
                expected[at] = expected.GetValueOrDefault(at) + Impulse * step.Gain * panL;
                count++;
            }
        }
        return (output, expected, count);
    }

    [Property(MaxTest = 60)]
    public Property A_render_of_n_cycles_holds_exactly_the_onsets_of_the_grid_steps_below_n_times_length()
    {
        return Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var (output, expected, notes) = RenderCase(c);
            var left = output.Channel(0);
            var onsets = 0;
            var wrong = new List<string>();
            for (var i = 0; i < left.Length; i++)
            {
                var want = expected.GetValueOrDefault(i);
                if (left[i] != 0) onsets++;
                if (Math.Abs(left[i] - want) > 1e-4 * Math.Max(1, want)) wrong.Add($"{i}: {left[i]} ≠ {want}");
            }
            // Every expected onset lies inside the output (late notes of the last step included).
            var outside = expected.Keys.Count(k => k >= left.Length);
            var sum = left.Sum(v => (double)v);
            var counted = (int)Math.Round(sum / (Impulse * 100 / 127.0 * EqualPowerPan.MonoGains(0).Left));
            return (wrong.Count == 0 && outside == 0 && counted == notes && onsets == expected.Count)
                .Label($"bpm {c.Pattern.Bpm}, length {c.Pattern.Length}, cycles {c.Cycles}, rate {c.Rate}: {notes} notes, counted {counted}, {wrong.Count} wrong ({string.Join("; ", wrong.Take(3))}), {outside} outside");
        });
    }

    [Property(MaxTest = 40)]
    public Property The_midi_export_has_a_note_on_for_every_onset_of_the_render()
    {
        return Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var (output, _, notes) = RenderCase(c);
            var counted = (int)Math.Round(output.Channel(0).Sum(v => (double)v) / (Impulse * 100 / 127.0 * EqualPowerPan.MonoGains(0).Left));
            var path = Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(path, MidiExport.ToBytes(c.Pattern, c.Cycles));
                var midi = new MidiFile(path, false);
                var noteOns = Enumerable.Range(1, midi.Tracks - 1).Sum(t => midi.Events[t].OfType<NoteOnEvent>().Count(e => e.Velocity > 0));
                return (noteOns == counted && counted == notes).Label($"{noteOns} note-ons, {counted} onsets, {notes} notes");
            }
            finally
            {
                File.Delete(path);
            }
        });
    }

    [Fact]
    public void Seven_steps_at_200_bpm_full_swing_six_cycles_at_48k_have_no_hit_at_3_150_s()
    {
        var p = PatternEditor.SetLength(PatternFactory.Create(1, 1), 7) with { Bpm = 200, Swing = 100 };
        for (var s = 0; s < 7; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        p = Plain(p);
        var output = OfflineRenderer.Render(p, Impulses(p, 48000), new RenderOptions(48000, 6));
        var onsets = output.Channel(0).Count(v => v != 0);
        Assert.Equal(42, onsets);
        Assert.True(output.Length <= Timing.ToSampleIndex(3.150, 48000), $"{output.Length} frames");
    }

    private static Pattern Busy(bool effects)
    {
        var p = PatternEditor.SetLength(PatternFactory.Create(8, 5), 16);
        for (var t = 0; t < 8; t++)
        {
            p = PatternEditor.EuclideanFill(p, t, 16);
            if (!effects) continue;
            var fx = new StepEffects(new FilterEffect((FilterType)(t % 3), 400 + 900 * t, 1 + t % 4), new DistortionEffect(0.1 + 0.1 * t),
                new DelayEffect(0.1 + 0.07 * t, 0.3 + 0.05 * t, 0.3));
            for (var s = 0; s < 16; s++) p = PatternEditor.SetStepEffects(p, t, s, fx);
        }
        return p;
    }

    private static Dictionary<string, AudioBuffer> Noise(Pattern p, int rate) =>
        p.Samples.Items.ToDictionary(s => s.Key, _ => RendererAnalyticTests.Noise(rate / 4, rate, 0.9f));

    private sealed class CountingSink : IAudioSink
    {
        public long Frames;
        public double Energy;

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            Frames += left.Length;
            foreach (var v in left) Energy += v * v;
        }
    }

    [Fact]
    public void Memory_of_a_streamed_render_does_not_grow_with_its_length()
    {
        var p = Busy(effects: true); // compressor and limiter on (the defaults), loud enough to limit
        var samples = Noise(p, 44100);
        OfflineRenderer.Render(p, samples, new RenderOptions(44100, 1), new CountingSink()); // warm up
        long Allocated(int cycles)
        {
            var sink = new CountingSink();
            var before = GC.GetAllocatedBytesForCurrentThread();
            OfflineRenderer.Render(p, samples, new RenderOptions(44100, cycles), sink);
            Assert.True(sink.Frames >= (long)(cycles * p.CycleSeconds * 44100));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var short10 = Allocated(10);   // 20 s
        var long300 = Allocated(300);  // 10 minutes
        // The whole 10-minute render would be 211 MB as floats; streamed, it allocates what the 20-second one does.
        Assert.True(long300 < short10 + 1_000_000, $"20 s allocated {short10:N0} bytes, 10 min {long300:N0}");
        Assert.True(long300 < 30_000_000, $"10 min allocated {long300:N0} bytes");
    }

    [Fact]
    public void Streaming_into_a_wav_file_gives_the_bytes_of_the_buffered_render()
    {
        var p = Busy(effects: true);
        var samples = Noise(p, 44100);
        var options = new RenderOptions(44100, 3);
        foreach (var format in new[] { WavSampleFormat.Pcm16, WavSampleFormat.Pcm24, WavSampleFormat.Float32 })
        {
            var expected = WavWriter.ToBytes(OfflineRenderer.Render(p, samples, options), format);
            using var file = new MemoryStream();
            var writer = new WavStreamWriter(file, 44100, format);
            var result = OfflineRenderer.Render(p, samples, options, writer);
            writer.Complete();
            Assert.Equal(expected, file.ToArray());
            Assert.Equal(result.Frames, writer.Frames);
        }
    }

    [Fact]
    public void A_streamed_wav_refuses_a_stream_it_cannot_finish()
    {
        using var pipe = new NonSeekable();
        Assert.Throws<ArgumentException>(() => new WavStreamWriter(pipe, 44100, WavSampleFormat.Pcm16));
    }

    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public void The_auto_tail_keeps_a_quiet_gap_before_a_late_echo_and_ends_at_the_last_loud_frame()
    {
        // One hit with a 1.5 s echo: a long silence after the span, then the echo, then nothing.
        var p = PatternEditor.ToggleStep(PatternFactory.Create(1, 1), 0, 0);
        p = Plain(PatternEditor.SetStepEffects(p, 0, 0, new StepEffects(Delay: new DelayEffect(1.5, 0, 1))));
        p = PatternEditor.SetLength(p, 4); // span 0.5 s
        var output = OfflineRenderer.Render(p, Impulses(p, 44100), new RenderOptions(44100, 1));
        var echo = Timing.ToSampleIndex(1.5, 44100);
        Assert.Equal(echo + 1, output.Length);
        Assert.NotEqual(0f, output.Channel(0)[echo]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(8192)]
    public void The_limiter_gives_the_same_frames_whatever_the_block_size(int block)
    {
        var rng = new Random(11);
        var l = new float[30_000];
        var r = new float[30_000];
        for (var i = 0; i < l.Length; i++)
        {
            var loud = i / 3000 % 2 == 0 ? 3f : 0.3f;
            l[i] = loud * (float)(rng.NextDouble() * 2 - 1);
            r[i] = loud * (float)(rng.NextDouble() * 2 - 1);
        }
        var whole = new BufferSink(44100);
        var limiter = new LookAheadLimiter(-1, 44100, whole);
        limiter.Write(l, r);
        limiter.Flush();
        var pieces = new BufferSink(44100);
        var streamed = new LookAheadLimiter(-1, 44100, pieces, maxBlock: Math.Max(block, 16));
        for (var at = 0; at < l.Length; at += block)
        {
            var n = Math.Min(block, l.Length - at);
            streamed.Write(l.AsSpan(at, n), r.AsSpan(at, n));
        }
        streamed.Flush();
        var a = whole.ToBuffer();
        var b = pieces.ToBuffer();
        Assert.Equal(l.Length, a.Length);
        Assert.Equal(a.Channel(0), b.Channel(0));
        Assert.Equal(a.Channel(1), b.Channel(1));
        var ceiling = (float)Math.Pow(10, -1 / 20.0);
        Assert.True(a.Peak() <= ceiling, $"peak {a.Peak()}");
    }

    [Fact]
    public void The_limiter_reaches_the_wanted_gain_at_an_isolated_over_by_a_linear_ramp()
    {
        const int rate = 48000;
        var n = 4000;
        var l = Enumerable.Repeat(0.5f, n).ToArray();
        l[2000] = 2f; // 6 dB over a 0 dB ceiling
        var r = l.ToArray();
        var sink = new BufferSink(rate);
        var limiter = new LookAheadLimiter(0, rate, sink);
        limiter.Write(l, r);
        limiter.Flush();
        var o = sink.ToBuffer().Channel(0);
        Assert.Equal(1f, o[2000], 5);                      // gain 0.5 exactly at the over
        var window = (int)(0.0015 * rate);                  // 72 frames
        Assert.Equal(0.5f, o[2000 - window], 6);            // untouched before the ramp starts
        Assert.True(o[2000 - window / 2] < 0.5f && o[2000 - window / 2] > 0.25f); // halfway down the ramp
        Assert.True(o[2001] < 0.5f);                        // then it recovers with the release
        Assert.True(o[^1] > o[2001] && o[^1] < 0.5f);
    }
}
