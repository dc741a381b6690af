using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;

namespace Orbitr.Core.Tests;

public class PatternEditorTests
{
    private static readonly Pattern Fresh = PatternFactory.Create(6, 11);

    [Fact]
    public void New_pattern_has_six_rings_spelling_orbitr_with_kit_sounds_and_distinct_colours()
    {
        Assert.Equal("ORBITR", string.Concat(Fresh.Tracks.Select(t => t.Name)));
        Assert.Equal(6, Fresh.Tracks.Select(t => t.Color).Distinct().Count());
        Assert.All(Fresh.Tracks, t => Assert.Equal(SampleSourceKind.Builtin, Fresh.FindSample(t.Sample!)!.Kind));
        Assert.All(Fresh.Tracks, t => Assert.Equal(16, t.Steps.Count));
        Assert.Empty(PatternValidator.Validate(Fresh));
        Assert.Equal((120.0, 0.0, 16), (Fresh.Bpm, Fresh.Swing, Fresh.Length));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Factory_makes_four_to_eight_valid_tracks(int tracks) =>
        Assert.Empty(PatternValidator.Validate(PatternFactory.Create(tracks)));

    [Fact]
    public void Toggle_is_pure_and_twice_is_identity()
    {
        var on = PatternEditor.ToggleStep(Fresh, 2, 5);
        Assert.True(on.Tracks[2].Steps[5].Active);
        Assert.False(Fresh.Tracks[2].Steps[5].Active);
        Assert.Equal(Fresh, PatternEditor.ToggleStep(on, 2, 5));
    }

    [Fact]
    public void Setters_clamp_to_the_design_ranges()
    {
        var p = PatternEditor.SetStepVelocity(Fresh, 0, 0, 500);
        p = PatternEditor.SetStepProbability(p, 0, 1, -3);
        p = PatternEditor.SetStepTiming(p, 0, 2, 99);
        p = PatternEditor.SetTrackPan(p, 1, double.NaN);
        p = PatternEditor.SetBpm(p, 1000);
        p = PatternEditor.SetSwing(p, -5);
        Assert.Equal(127, p.Tracks[0].Steps[0].Velocity);
        Assert.Equal(0, p.Tracks[0].Steps[1].Probability);
        Assert.Equal(50, p.Tracks[0].Steps[2].Timing);
        Assert.Equal(-1, p.Tracks[1].Pan);
        Assert.Equal((200.0, 0.0), (p.Bpm, p.Swing));
        Assert.Empty(PatternValidator.Validate(p));
    }

    [Fact]
    public void Out_of_range_indexes_and_unknown_samples_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PatternEditor.ToggleStep(Fresh, 6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PatternEditor.ToggleStep(Fresh, 0, 16));
        Assert.Throws<ArgumentException>(() => PatternEditor.SetStepSample(Fresh, 0, 0, "nope"));
    }

    [Fact]
    public void Pattern_length_resizes_following_rings_and_keeps_their_steps()
    {
        var p = PatternEditor.ToggleStep(Fresh, 0, 3);
        p = PatternEditor.SetTrackLength(p, 1, 5);
        var longer = PatternEditor.SetLength(p, 32);
        Assert.Equal(32, longer.Tracks[0].Length);
        Assert.Equal(32, longer.Tracks[0].Steps.Count);
        Assert.True(longer.Tracks[0].Steps[3].Active);
        Assert.Equal(5, longer.Tracks[1].Length);           // polymetric ring keeps its own length
        var back = PatternEditor.SetLength(longer, 16);
        Assert.Equal(p, back);
        Assert.Empty(PatternValidator.Validate(PatternEditor.SetLength(p, 1)));
    }

    [Fact]
    public void Rotate_moves_steps_round_the_ring()
    {
        var p = PatternEditor.ToggleStep(Fresh, 0, 15);
        var r = PatternEditor.RotateTrack(p, 0, 1);
        Assert.True(r.Tracks[0].Steps[0].Active);
        Assert.Equal(p, PatternEditor.RotateTrack(r, 0, -1));
        Assert.Equal(p, PatternEditor.RotateTrack(p, 0, 16));
    }

    [Fact]
    public void Euclidean_fill_sets_only_on_off()
    {
        var p = PatternEditor.SetStepVelocity(Fresh, 0, 4, 30);
        p = PatternEditor.EuclideanFill(p, 0, 4);
        Assert.Equal([0, 4, 8, 12], Enumerable.Range(0, 16).Where(i => p.Tracks[0].Steps[i].Active));
        Assert.Equal(30, p.Tracks[0].Steps[4].Velocity);
    }

    [Fact]
    public void Clear_track_and_clear_pattern_switch_everything_off()
    {
        var p = TestPatterns.Busy();
        Assert.Equal(0, PatternEditor.ClearTrack(p, 2).Tracks[2].ActiveSteps);
        Assert.All(PatternEditor.ClearPattern(p).Tracks, t => Assert.Equal(0, t.ActiveSteps));
        Assert.Equal(p.Tracks[3].Length, PatternEditor.ClearPattern(p).Tracks[3].Steps.Count);
    }

    [Fact]
    public void Tracks_can_be_added_up_to_eight_and_removed_down_to_one()
    {
        var p = Fresh;
        for (var i = 0; i < 5; i++) p = PatternEditor.AddTrack(p);
        Assert.Equal(8, p.Tracks.Count);
        Assert.Empty(PatternValidator.Validate(p));
        for (var i = 0; i < 10; i++) p = PatternEditor.RemoveTrack(p, 0);
        Assert.Single(p.Tracks);
        Assert.Empty(PatternValidator.Validate(p));
    }

    [Fact]
    public void Randomize_is_seeded_and_valid()
    {
        var a = PatternEditor.Randomize(Fresh, 5);
        Assert.Equal(a, PatternEditor.Randomize(Fresh, 5));
        Assert.NotEqual(a, PatternEditor.Randomize(Fresh, 6));
        Assert.True(a.Tracks.Sum(t => t.ActiveSteps) > 0);
        Assert.Empty(PatternValidator.Validate(a));
    }

    [Fact]
    public void Reroll_always_changes_the_seed()
    {
        Assert.NotEqual(Fresh.Seed, PatternEditor.RerollSeed(Fresh, Fresh.Seed).Seed);
        Assert.Equal(5u, PatternEditor.RerollSeed(Fresh, 5).Seed);
    }

    [Fact]
    public void Effects_are_clamped_and_empty_effects_become_null()
    {
        var p = PatternEditor.SetStepEffects(Fresh, 0, 0, new StepEffects(new FilterEffect(FilterType.Lowpass, 1e6, 0), null, new DelayEffect(5, 2, -1)));
        var fx = p.Tracks[0].Steps[0].Effects!;
        Assert.Equal((20000.0, 0.0001), (fx.Filter!.Frequency, fx.Filter.Q));
        Assert.Equal(new DelayEffect(2, 0.95, 0), fx.Delay);
        Assert.Null(PatternEditor.SetStepEffects(p, 0, 0, new StepEffects()).Tracks[0].Steps[0].Effects);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public FsCheck.Property Replacing_a_sample_source_moves_every_reference_and_nothing_else() => FsCheck.Fluent.Prop.ForAll(RandomPatterns.Valid, p =>
    {
        if (p.Samples.Count == 0) return true;
        var old = p.Samples[0].Ref.Source;
        var moved = PatternEditor.ReplaceSampleSource(p, old, SampleRef.Generated("server-id"));
        var sameKeys = moved.Samples.Select(e => e.Key).SequenceEqual(p.Samples.Select(e => e.Key));
        var noneLeft = moved.Samples.All(e => e.Ref.Source != old);
        var othersKept = moved.Samples.Zip(p.Samples).All(x => x.Second.Ref.Source == old ? x.First.Ref.Source == "generated:server-id" : x.First.Ref == x.Second.Ref);
        var restUntouched = moved with { Samples = p.Samples } == p;
        var valid = Orbitr.Core.Validation.PatternValidator.Validate(moved).Count == 0;
        return sameKeys && noneLeft && othersKept && restUntouched && valid;
    });
    [Theory]
    [InlineData(99, 24)]
    [InlineData(-99, -24)]
    [InlineData(double.NaN, -24)]
    [InlineData(3.5, 3.5)]
    public void Pitch_is_clamped_to_two_octaves(double asked, double set) =>
        Assert.Equal(set, PatternEditor.SetStepPitch(Fresh, 0, 0, asked).Tracks[0].Steps[0].Pitch);

    [Fact]
    public void The_sound_design_setters_clamp_each_value_into_its_range_and_the_result_validates()
    {
        var p = PatternEditor.SetStepStart(Fresh, 1, 2, 4);
        p = PatternEditor.SetStepGate(p, 1, 2, 0.0001);
        p = PatternEditor.SetStepRatchet(p, 1, 3, 0);
        p = PatternEditor.SetStepRatchet(p, 1, 4, 99);
        p = PatternEditor.SetStepCondition(p, 1, 5, TrigCondition.Ratio(7, 3));
        p = PatternEditor.SetStepCondition(p, 1, 6, TrigCondition.Ratio(0, 12));
        p = PatternEditor.SetStepReverse(p, 1, 7, true);
        p = PatternEditor.SetTrackChoke(p, 0, 0);
        p = PatternEditor.SetTrackChoke(p, 1, 12);
        p = PatternEditor.SetTrackSwing(p, 2, 250);
        p = PatternEditor.SetTrackReverb(p, 3, -1);
        p = PatternEditor.SetReverb(p, new ReverbSettings(true, 99, 2, 1, -3));
        var steps = p.Tracks[1].Steps;
        Assert.Equal(Step.MaxStart, steps[2].Start);
        Assert.Equal(Step.MinGate, steps[2].Gate);
        Assert.Equal(Step.MinRatchet, steps[3].Ratchet);
        Assert.Equal(Step.MaxRatchet, steps[4].Ratchet);
        Assert.Equal(TrigCondition.Ratio(3, 3), steps[5].Condition);
        Assert.Equal(TrigCondition.Ratio(1, 8), steps[6].Condition);
        Assert.True(steps[7].Reverse);
        Assert.Equal(Track.MinChoke, p.Tracks[0].Choke);
        Assert.Equal(Track.MaxChoke, p.Tracks[1].Choke);
        Assert.Equal(Pattern.MaxSwing, p.Tracks[2].Swing);
        Assert.Equal(Track.MinReverb, p.Tracks[3].Reverb);
        Assert.Equal(new ReverbSettings(true, ReverbSettings.MaxDecay, ReverbSettings.MaxDamping, ReverbSettings.MaxPreDelay, ReverbSettings.MinReturn), p.Master.Reverb);
        Assert.Empty(PatternValidator.Validate(p));
        // Null means "not set": the whole sample, no group, the pattern's swing.
        p = PatternEditor.SetStepGate(p, 1, 2, null);
        p = PatternEditor.SetTrackChoke(p, 1, null);
        p = PatternEditor.SetTrackSwing(p, 2, null);
        Assert.Null(p.Tracks[1].Steps[2].Gate);
        Assert.Null(p.Tracks[1].Choke);
        Assert.Null(p.Tracks[2].Swing);
    }
}
