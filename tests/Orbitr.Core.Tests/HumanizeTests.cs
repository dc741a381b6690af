using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

/// <summary>Issue 26's randomize (a ring's steps on with a density) and humanize (seeded timing and velocity moves
/// within ranges): deterministic per seed, within the step ranges, other rings and inactive steps untouched.</summary>
public class HumanizeTests
{
    private static readonly Arbitrary<(int Seed, int Track, double Ms, int Vel)> Cases = (
        from seed in Gen.Choose(0, 100_000)
        from track in Gen.Choose(0, 3)
        from ms in Gen.Choose(0, 80)
        from vel in Gen.Choose(0, 200)
        select (seed, track, (double)ms, vel)).ToArbitrary();

    private static Pattern Busy()
    {
        var p = PatternFactory.Create(4, seed: 2);
        for (var t = 0; t < 4; t++) p = PatternEditor.EuclideanFill(p, t, 5 + t);
        return PatternEditor.UpdateStep(p, 1, 0, s => s with { Active = true, Timing = 48, Velocity = 125 });
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Humanize_stays_in_range_moves_only_active_steps_of_its_ring_and_repeats_per_seed() => Prop.ForAll(Cases, c =>
    {
        var p = Busy();
        var h = PatternEditor.Humanize(p, c.Track, c.Ms, c.Vel, c.Seed);
        var limitMs = Math.Min(c.Ms, 50) + 0.05;
        var limitVel = Math.Min(c.Vel, 127);
        var ok = h == PatternEditor.Humanize(p, c.Track, c.Ms, c.Vel, c.Seed);
        for (var t = 0; t < 4; t++)
            for (var s = 0; s < 16; s++)
            {
                var (a, b) = (p.Tracks[t].Steps[s], h.Tracks[t].Steps[s]);
                if (t != c.Track || !a.Active) { ok &= a == b; continue; }
                ok &= b.Timing is >= Step.MinTiming and <= Step.MaxTiming && Math.Abs(b.Timing - a.Timing) <= limitMs;
                ok &= b.Velocity is >= 1 and <= Step.MaxVelocity && Math.Abs(b.Velocity - a.Velocity) <= limitVel;
                ok &= (a with { Timing = b.Timing, Velocity = b.Velocity }) == b;
            }
        return ok;
    });

    [Fact]
    public void Humanize_moves_something_and_zero_moves_nothing()
    {
        var p = Busy();
        Assert.NotEqual(p, PatternEditor.Humanize(p, 2, 10, 10, 1));
        Assert.Equal(p, PatternEditor.Humanize(p, 2, 0, 0, 1));
        Assert.Equal(p, PatternEditor.Humanize(p, 9, 10, 10, 1));
        Assert.Equal(p, PatternEditor.Humanize(p, 2, double.NaN, 0, 1));
    }

    [Fact]
    public void Randomize_follows_its_density_on_its_ring_only()
    {
        var p = PatternEditor.SetTrackLength(Busy(), 3, 64);
        Assert.DoesNotContain(PatternEditor.RandomizeTrack(p, 3, 0, 5).Tracks[3].Steps.Items, s => s.Active);
        Assert.All(PatternEditor.RandomizeTrack(p, 3, 1, 5).Tracks[3].Steps.Items, s => Assert.True(s.Active));
        var counts = Enumerable.Range(0, 200).Select(seed => PatternEditor.RandomizeTrack(p, 3, 0.3, seed).Tracks[3].Steps.Items.Count(s => s.Active)).ToList();
        Assert.InRange(counts.Average() / 64, 0.27, 0.33); // 12 800 draws: 0.3 ± 0.03 is over 7 standard deviations wide
        var r = PatternEditor.RandomizeTrack(p, 3, 0.5, 42);
        Assert.Equal(r, PatternEditor.RandomizeTrack(p, 3, 0.5, 42));
        Assert.Equal(p.Tracks.Items.Take(3), r.Tracks.Items.Take(3));
        Assert.Equal(p.Tracks[3].Steps.Items.Select(s => s with { Active = false }), r.Tracks[3].Steps.Items.Select(s => s with { Active = false }));
    }
}
