using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Tests.Songs;

/// <summary>Songs through the renderer (issue 25), analytically: every note of section k on sample
/// round((T_k + t) × rate) across tempo changes, tails that ring on under the next section, each section with its
/// own samples and master volume, and a one-section song the same audio as the pattern's render.</summary>
public class SongRenderTests
{
    private const int Rate = 44100;

    private static Pattern Plain(Pattern p) =>
        p with { Master = p.Master with { Compressor = p.Master.Compressor with { Enabled = false }, Limiter = p.Master.Limiter with { Enabled = false } } };

    private static Pattern Ring(double bpm, int length, params int[] steps)
    {
        var p = PatternEditor.SetLength(Plain(PatternFactory.Create(1, 1) with { Bpm = bpm }), length);
        foreach (var s in steps) p = PatternEditor.SetStepActive(p, 0, s, true);
        return p;
    }

    private static AudioBuffer Mono(float[] data) => new([data], Rate);

    private static readonly AudioBuffer Impulse = Mono([1f]);

    private static float[] Render(IReadOnlyList<SongPart> parts, IReadOnlyList<AudioBuffer> kicks, double tail = 0.2)
    {
        var tables = kicks.Select(k => (IReadOnlyDictionary<string, AudioBuffer>)new Dictionary<string, AudioBuffer> { ["kick"] = k }).ToList();
        var sink = new BufferSink(Rate, 1 << 22);
        OfflineRenderer.Render(parts, tables, new RenderOptions(Rate, 1, tail), sink);
        return sink.ToBuffer().Channel(0);
    }

    [Fact]
    public void Every_note_lands_on_round_of_its_sections_start_plus_its_time_across_tempo_changes()
    {
        var parts = new[]
        {
            new SongPart(Ring(120, 16, 0, 5, 8), 2),
            new SongPart(Ring(97, 12, 0, 7), 3),
            new SongPart(Ring(173.5, 7, 1, 6), 2),
        };
        var output = Render(parts, [Impulse, Impulse, Impulse]);
        var starts = SongTimeline.Starts(parts);
        var expected = new SortedSet<long>();
        for (var k = 0; k < parts.Length; k++)
        {
            var p = parts[k].Pattern;
            for (var c = 0; c < parts[k].Repeat; c++)
                foreach (var s in p.Tracks[0].Steps.Select((st, i) => (st, i)).Where(x => x.st.Active).Select(x => x.i))
                    expected.Add((long)Math.Round((starts[k] + (c * p.Length + s) * p.StepSeconds) * Rate, MidpointRounding.AwayFromZero));
        }
        var onsets = Enumerable.Range(0, output.Length).Where(i => output[i] != 0).Select(i => (long)i).ToList();
        Assert.Equal(expected, onsets);
        Assert.Equal(2 * 2.0 + 3 * 12 * 60 / 97.0 / 4 + 2 * 7 * 60 / 173.5 / 4, SongTimeline.TotalSeconds(parts), 12);
    }

    [Fact]
    public void A_sound_rings_on_under_the_next_section_and_each_section_has_its_own_samples_and_master_volume()
    {
        var a = Ring(120, 16, 15);                                   // its last step: 0.125 s before the end
        var b = Ring(120, 16, 4) with { Master = Plain(Ring(120, 16)).Master with { Volume = 0.4 } };
        var held = Mono(Enumerable.Repeat(0.5f, Rate).ToArray());     // one second
        var parts = new[] { new SongPart(a, 1), new SongPart(b, 1) };
        var output = Render(parts, [held, Impulse]);
        var t1 = (int)Math.Round(2.0 * Rate);
        var level = output[t1 - 100];
        Assert.True(level > 0.1, $"the held sound is {level} before the section change");
        // After the change it goes on unchanged (section A's master volume, not B's), until its second is over.
        Assert.Equal(level, output[t1 + 100]);
        Assert.Equal(level, output[(int)Math.Round((2 - 0.125 + 0.99) * Rate)]);
        Assert.Equal(0, output[(int)Math.Round((2 - 0.125 + 1.01) * Rate)]);
        // B's step 4 (an impulse at master 0.4): the held sound plus the impulse's share.
        var at = (int)Math.Round((2 + 4 * 0.125) * Rate);
        var impulse = output[at] - level;
        var pan = Voice.EqualPowerPan.MonoGains(0).Left;
        Assert.Equal(100 / 127.0 * 0.8 * pan * 0.4, impulse, 5);
        Assert.Equal(0.5 * 100 / 127.0 * 0.8 * pan * 0.8, level, 5);
    }

    [Fact]
    public void A_song_of_one_section_is_the_patterns_render_sample_for_sample()
    {
        var p = Orbitr.Core.Editing.PatternEditor.Randomize(PatternFactory.Create(6, 4), 24);
        p = PatternEditor.UpdateStep(p, 0, 2, s => s with { Active = true, Effects = new StepEffects(Delay: new DelayEffect(0.2, 0.5, 0.4)) });
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Reverb = 0.5 });
        var samples = p.Samples.Items.ToDictionary(e => e.Key, e => Mono(Enumerable.Range(0, 3000).Select(i => (float)Math.Sin(i * (0.01 + e.Key.Length * 0.003)) * (1 - i / 3000f)).ToArray()));
        var pattern = OfflineRenderer.Render(p, samples, new RenderOptions(Rate, 3));
        var sink = new BufferSink(Rate, 1 << 22);
        OfflineRenderer.Render([new SongPart(p, 3)], [samples], new RenderOptions(Rate, 1), sink);
        var song = sink.ToBuffer();
        Assert.Equal(pattern.Length, song.Length);
        Assert.Equal(pattern.Channel(0), song.Channel(0));
        Assert.Equal(pattern.Channel(1), song.Channel(1));
    }

    [Fact]
    public void The_most_sections_a_song_may_have_each_with_delay_and_reverb_land_where_their_sums_say()
    {
        // 256 sections of one 4-step cycle at 200 BPM with a delay and a reverb send: sections that have stopped
        // sounding are let go as the render goes, and the last section's note is still on its sample.
        var p = PatternEditor.UpdateStep(Ring(200, 4, 0), 0, 0, s => s with { Effects = new StepEffects(Delay: new DelayEffect(0.05, 0.2, 0.3)) });
        p = PatternEditor.UpdateTrack(p, 0, t => t with { Reverb = 0.3 }) with { Master = p.Master with { Reverb = new ReverbSettings(true, 0.2) } };
        var parts = Enumerable.Range(0, Song.MaxSections).Select(k => new SongPart(p with { Bpm = 200 - k % 3 }, 1)).ToArray();
        var output = Render(parts, Enumerable.Repeat(Impulse, parts.Length).ToArray(), tail: 0);
        var starts = SongTimeline.Starts(parts);
        Assert.Equal((long)Math.Round(starts[^1] * Rate), output.Length);
        // Before the last section's note only its predecessors' tails sound; the note adds a jump of at least the
        // impulse's direct share.
        var last = (int)Math.Round(starts[^2] * Rate);
        Assert.True(output[last] - output[last - 1] > 0.3, $"{output[last - 1]} → {output[last]}");
    }
}
