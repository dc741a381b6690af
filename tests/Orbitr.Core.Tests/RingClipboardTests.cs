using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

/// <summary>Copy and paste of a whole ring (issue 26): the steps (every field), the sound and the ring's swing travel;
/// the target keeps its length (cut or filled with off steps) unless resized, and its place in the mix.</summary>
public class RingClipboardTests
{
    private static Pattern Source()
    {
        var p = PatternFactory.Create(4, seed: 5, name: "Src");
        p = PatternEditor.WithSample(p, SampleRef.Generated("abc123", "Glass"), out var glass);
        p = PatternEditor.WithSample(p, SampleRef.Generated("def456", "Dust"), out var dust);
        p = PatternEditor.SetTrackLength(p, 1, 12);
        p = PatternEditor.SetTrackSample(p, 1, glass);
        p = PatternEditor.SetTrackSwing(p, 1, 40);
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Volume = 0.2, Pan = -0.5, Mute = true, Reverb = 0.7, Choke = 2 });
        p = PatternEditor.UpdateStep(p, 1, 0, s => s with { Active = true, Velocity = 33, Probability = 0.4, Timing = 7, Pitch = -3, Gate = 0.1, Ratchet = 2, Sample = dust });
        p = PatternEditor.UpdateStep(p, 1, 11, s => s with { Active = true, Condition = TrigCondition.Ratio(1, 3) });
        return p;
    }

    [Fact]
    public void A_paste_keeps_the_target_length_and_mix_and_takes_the_steps_sound_and_swing()
    {
        var src = Source();
        var clip = RingClipboard.Copy(src, 1);
        Assert.Equal(2, clip.Samples.Count);
        var target = PatternEditor.SetTrackLength(PatternFactory.Create(4, seed: 6, name: "Dst"), 2, 8);
        target = PatternEditor.UpdateTrack(target, 2, t => t with { Volume = 0.9, Pan = 0.3, Solo = true, Name = "Hats" });
        var pasted = RingClipboard.Paste(target, clip, 2, resize: false);
        var ring = pasted.Tracks[2];
        Assert.Equal(8, ring.Steps.Count);
        Assert.Equal(8, ring.Length);
        Assert.Equal("Glass", pasted.FindSample(ring.Sample!)!.Name);
        Assert.Equal("Dust", pasted.FindSample(ring.Steps[0].Sample!)!.Name);
        Assert.Equal(src.Tracks[1].Steps[0] with { Sample = ring.Steps[0].Sample }, ring.Steps[0]);
        Assert.Equal(src.Tracks[1].Steps.Items.Skip(1).Take(7), ring.Steps.Items.Skip(1)); // step 12 is cut
        Assert.Equal(40, ring.Swing);
        Assert.Equal((0.9, 0.3, false, true, "Hats", target.Tracks[2].Color, 0.0, (int?)null),
            (ring.Volume, ring.Pan, ring.Mute, ring.Solo, ring.Name, ring.Color, ring.Reverb, ring.Choke));
        Assert.Equal(target.Tracks.Items.Where((_, i) => i != 2), pasted.Tracks.Items.Where((_, i) => i != 2));

        var longer = RingClipboard.Paste(PatternFactory.Create(4, seed: 6), clip, 0, resize: false);
        Assert.Equal(16, longer.Tracks[0].Steps.Count);
        Assert.All(longer.Tracks[0].Steps.Items.Skip(12), s => Assert.Equal(Step.Off, s)); // missing steps are off

        var resized = RingClipboard.Paste(target, clip, 2, resize: true);
        Assert.Equal(12, resized.Tracks[2].Steps.Count);
        Assert.Equal(12, resized.Tracks[2].Length);
        Assert.Equal(src.Tracks[1].Steps[11], resized.Tracks[2].Steps[11]);
        // Pasting again brings no second sample entry.
        Assert.Equal(pasted.Samples.Count, RingClipboard.Paste(pasted, clip, 3, resize: false).Samples.Count);
    }

    private static readonly Arbitrary<(Pattern Source, int From, Pattern Target, int To)> Pairs = (
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from fi in Gen.Choose(0, 7)
        from ti in Gen.Choose(0, 7)
        let src = RandomPatterns.Create(a)
        let dst = RandomPatterns.Create(b)
        select (src, fi % src.Tracks.Count, dst, ti % dst.Tracks.Count)).ToArbitrary();

    private static bool SameSound(Pattern a, string? x, Pattern b, string? y) =>
        x is null ? y is null : y is not null && a.FindSample(x)!.Source == b.FindSample(y)!.Source;

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Copy_then_paste_kept_or_resized_gives_the_copied_steps_and_sound() => Prop.ForAll(Pairs, c =>
    {
        var from = c.Source.Tracks[c.From];
        var before = c.Target.Tracks[c.To];
        var clip = RingClipboard.Copy(c.Source, c.From);
        foreach (var resize in new[] { false, true })
        {
            var p = RingClipboard.Paste(c.Target, clip, c.To, resize);
            var ring = p.Tracks[c.To];
            var length = resize ? from.Steps.Count : before.Steps.Count;
            if (ring.Steps.Count != length || ring.Length != length) return false;
            for (var i = 0; i < length; i++)
            {
                var got = ring.Steps[i];
                var want = i < from.Steps.Count ? from.Steps[i] : Step.Off;
                if (got with { Sample = null } != want with { Sample = null } || !SameSound(c.Source, want.Sample, p, got.Sample)) return false;
            }
            if (!SameSound(c.Source, from.Sample, p, ring.Sample) || ring.Swing != from.Swing) return false;
            if ((ring.Name, ring.Color, ring.Volume, ring.Pan, ring.Mute, ring.Solo, ring.Reverb, ring.Choke)
                != (before.Name, before.Color, before.Volume, before.Pan, before.Mute, before.Solo, before.Reverb, before.Choke)) return false;
            // The target's own table entries are all still there (a paste only adds).
            if (c.Target.Samples.Items.Any(e => !p.Samples.Items.Contains(e))) return false;
        }
        return true;
    });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property The_clipboard_json_reads_back_as_the_same_ring() => Prop.ForAll(Pairs, c =>
    {
        var clip = RingClipboard.Copy(c.Source, c.From);
        return RingClipboard.FromJson(RingClipboard.ToJson(clip)) == clip;
    });

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kick")]
    [InlineData("""{"format":"orbitr.ring","version":1}""")]
    [InlineData("""{"format":"orbitr.ring","version":2,"pattern":{}}""")]
    [InlineData("""{"format":"orbitr.ring","version":1,"pattern":{"format":"orbitr.pattern"}}""")]
    [InlineData("""[ "orbitr.ring" ]""")]
    public void Other_text_is_no_ring(string? text) => Assert.Null(RingClipboard.FromJson(text));

    [Fact]
    public void A_steps_clip_is_no_ring_and_a_ring_no_steps_clip()
    {
        var src = Source();
        Assert.Null(RingClipboard.FromJson(StepClipboard.ToJson(StepClipboard.Copy(src, [(1, 0)]))));
        Assert.Null(StepClipboard.FromJson(RingClipboard.ToJson(RingClipboard.Copy(src, 1))));
    }
}
