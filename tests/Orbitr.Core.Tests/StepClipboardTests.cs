using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

/// <summary>Copy/cut/paste/duplicate of steps (issue 26): every field travels, places wrap round a ring, samples come
/// along, and the clipboard's JSON reads back as the same clip (and any other text as none).</summary>
public class StepClipboardTests
{
    private static Pattern Source()
    {
        var p = PatternFactory.Create(4, seed: 5, name: "Src");
        p = PatternEditor.WithSample(p, SampleRef.Generated("abc123", "Glass"), out var glass);
        p = PatternEditor.UpdateStep(p, 1, 2, s => s with
        {
            Active = true,
            Velocity = 77,
            Probability = 0.5,
            Timing = -12,
            Sample = glass,
            Pitch = 3.5,
            Reverse = true,
            Ratchet = 3,
            Gate = 0.2,
            Effects = new StepEffects(new FilterEffect(FilterType.Bandpass, 900, 3), new DistortionEffect(0.3), null)
        });
        p = PatternEditor.UpdateStep(p, 1, 3, s => s with { Active = true, Velocity = 20 });
        p = PatternEditor.UpdateStep(p, 2, 2, s => s with { Active = true, Condition = TrigCondition.Ratio(2, 4) });
        return p;
    }

    [Fact]
    public void A_paste_writes_every_field_with_the_clip_shape_and_brings_the_sample()
    {
        var src = Source();
        var clip = StepClipboard.Copy(src, [(1, 2), (1, 3), (2, 2), (9, 9)]);
        Assert.Equal(3, clip.Steps.Count);
        Assert.Equal((2, 2), (clip.Rings, clip.Width));
        Assert.Single(clip.Samples.Items);

        var target = PatternFactory.Create(4, seed: 6, name: "Dst");
        var pasted = StepClipboard.Paste(target, clip, (0, 15), out var places);
        Assert.Equal([(0, 15), (0, 0), (1, 15)], places); // step 16 + 1 wraps to step 1
        var glass = pasted.Tracks[0].Steps[15].Sample!;
        Assert.Equal(SampleRef.Generated("abc123", "Glass").Source, pasted.FindSample(glass)!.Source);
        Assert.Equal(src.Tracks[1].Steps[2] with { Sample = glass }, pasted.Tracks[0].Steps[15]);
        Assert.Equal(src.Tracks[1].Steps[3], pasted.Tracks[0].Steps[0]);
        Assert.Equal(src.Tracks[2].Steps[2], pasted.Tracks[1].Steps[15]);
        // Past the last ring: left out.
        StepClipboard.Paste(target, clip, (3, 0), out places);
        Assert.Equal([(3, 0), (3, 1)], places);
        // Pasting again adds no second sample entry.
        Assert.Equal(pasted.Samples.Count, StepClipboard.Paste(pasted, clip, (0, 4), out _).Samples.Count);
    }

    [Fact]
    public void Cut_clears_and_duplicate_follows_the_steps()
    {
        var src = Source();
        var cut = StepClipboard.Clear(src, [(1, 2), (1, 3)]);
        Assert.Equal(new Step(), cut.Tracks[1].Steps[2]);
        Assert.Equal(new Step(), cut.Tracks[1].Steps[3]);
        var dup = StepClipboard.Duplicate(src, [(1, 2), (1, 3)], out var places);
        Assert.Equal([(1, 4), (1, 5)], places);
        Assert.Equal(src.Tracks[1].Steps[3], dup.Tracks[1].Steps[5]);
        Assert.Equal(src, StepClipboard.Duplicate(src, [], out _));
    }

    private static readonly Arbitrary<(Pattern Pattern, (int, int)[] Cells)> Clips = (
        from seed in Gen.Choose(0, 10_000)
        from count in Gen.Choose(1, 12)
        from cells in Gen.ArrayOf(from t in Gen.Choose(0, 3) from s in Gen.Choose(0, 15) select (t, s), count)
        from velocity in Gen.Choose(0, 127)
        from timing in Gen.Choose(-50, 50)
        select (cells.Aggregate(PatternFactory.Create(4, seed: (uint)seed), (p, c) =>
            PatternEditor.UpdateStep(p, c.t, c.s, st => st with { Active = (c.t + c.s) % 2 == 0, Velocity = velocity, Timing = timing, Probability = c.s / 16.0 })), cells)).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property The_clipboard_json_reads_back_as_the_same_clip() => Prop.ForAll(Clips, c =>
    {
        var clip = StepClipboard.Copy(c.Pattern, c.Cells);
        return StepClipboard.FromJson(StepClipboard.ToJson(clip)) == clip;
    });

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("""{"format":"orbitr.steps","version":1}""")]
    [InlineData("""{"format":"orbitr.steps","version":9,"cells":[],"pattern":{}}""")]
    [InlineData("""{"format":"orbitr.steps","version":1,"cells":[[0,99]],"pattern":{"format":"orbitr.pattern"}}""")]
    [InlineData("""{"format":"orbitr.steps","version":1,"cells":[["a"]],"pattern":[]}""")]
    [InlineData("""[ "orbitr.steps" ]""")]
    public void Other_text_is_no_clip(string? text) => Assert.Null(StepClipboard.FromJson(text));

    [Fact]
    public void A_clip_with_cells_outside_its_pattern_is_no_clip()
    {
        var json = StepClipboard.ToJson(StepClipboard.Copy(Source(), [(1, 2)]));
        Assert.NotNull(StepClipboard.FromJson(json));
        Assert.Null(StepClipboard.FromJson(json.Replace("[[0,0]]", "[[0,70]]", StringComparison.Ordinal)));
    }
}
