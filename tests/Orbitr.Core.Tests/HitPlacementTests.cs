using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Tests;

/// <summary>Issue 26's recording maths: a hit lands on the ring's nearest swung step (its own length), and without
/// quantize the offset kept as micro-timing makes the step play exactly where the hit was.</summary>
public class HitPlacementTests
{
    private sealed record Case(double Bpm, double Swing, double? RingSwing, int RingLength, long Sixteenth, double OffsetMs);

    private static readonly Arbitrary<Case> Cases = (
        from bpm in Gen.Elements(40.0, 90.0, 120.0, 133.3, 174.0, 200.0)
        from swing in Gen.Choose(0, 100)
        from own in Gen.Elements<double?>(null, 0.0, 35.0, 100.0)
        from length in Gen.Choose(1, 64)
        from n in Gen.Choose(0, 2000)
        from offset in Gen.Choose(-4999, 4999)
        select new Case(bpm, swing, own, length, n, offset / 100.0)).ToArbitrary();

    private static Pattern Ring(Case c)
    {
        var p = PatternFactory.Create(2, seed: 3) with { Bpm = c.Bpm, Swing = c.Swing };
        p = PatternEditor.ClearPattern(p);
        p = PatternEditor.SetTrackLength(p, 1, c.RingLength);
        return PatternEditor.SetTrackSwing(p, 1, c.RingSwing);
    }

    // The Scheduler's own time for a step of ring 1 on grid sixteenth n (the step on, its timing as given).
    private static double Scheduled(Pattern p, int step, long n, double timingMs)
    {
        p = PatternEditor.UpdateStep(p, 1, step, s => s with { Active = true, Timing = timingMs });
        var around = n * p.StepSeconds;
        var e = Scheduler.EventsBetween(p, Math.Max(0, around - 1), around + 1)
            .Single(x => x.TrackIndex == 1 && x.Cycle == n / p.Tracks[1].Steps.Count);
        return e.Time;
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property A_hit_at_a_steps_scheduled_time_lands_on_that_step_with_timing_0() => Prop.ForAll(Cases, c =>
    {
        var p = Ring(c);
        var step = (int)(c.Sixteenth % c.RingLength);
        var t = Scheduled(p, step, c.Sixteenth, 0);
        foreach (var quantize in new[] { true, false })
        {
            var placed = HitPlacement.Place(p, 1, t, quantize)!.Value;
            if (placed.Sixteenth != c.Sixteenth || placed.Step != step || Math.Abs(placed.TimingMs) > 1e-6) return false;
        }
        return true;
    });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Unquantized_the_recorded_step_plays_at_the_hit_time() => Prop.ForAll(Cases, c =>
    {
        var p = Ring(c);
        var t = HitPlacement.GridTime(p.StepSeconds, p.SwingOf(p.Tracks[1]), c.Sixteenth) + c.OffsetMs / 1000.0;
        if (t < 0) return true; // before the pattern's start: nothing to compare with
        var placed = HitPlacement.Place(p, 1, t, quantize: false)!.Value;
        if (Math.Abs(placed.OffsetMs) > Step.MaxTiming) return Math.Abs(placed.TimingMs) == Step.MaxTiming; // clamped
        return Math.Abs(Scheduled(p, placed.Step, placed.Sixteenth, placed.TimingMs) - t) < 1e-6;
    });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property The_step_chosen_is_the_nearest_and_quantize_drops_the_offset() => Prop.ForAll(Cases, c =>
    {
        var p = Ring(c);
        var swing = p.SwingOf(p.Tracks[1]);
        var t = c.Sixteenth * p.StepSeconds + c.OffsetMs / 1000.0 * 3; // up to ±150 ms: far from the grid too
        if (t < 0) return true;
        var placed = HitPlacement.Place(p, 1, t, quantize: true)!.Value;
        var distance = Math.Abs(t - HitPlacement.GridTime(p.StepSeconds, swing, placed.Sixteenth));
        var nearest = Enumerable.Range(0, 2100).All(n => Math.Abs(t - HitPlacement.GridTime(p.StepSeconds, swing, n)) >= distance - 1e-12);
        return nearest && placed.TimingMs == 0 && placed.Step == (int)(placed.Sixteenth % c.RingLength)
               && Math.Abs(distance * 1000 - Math.Abs(placed.OffsetMs)) < 1e-6;
    });

    [Fact]
    public void A_ring_of_its_own_length_wraps_on_its_own_cycle_and_swing_moves_the_boundary()
    {
        var p = PatternFactory.Create(2, seed: 1) with { Bpm = 120, Swing = 0 }; // 125 ms steps
        p = PatternEditor.SetTrackLength(p, 1, 12);
        Assert.Equal(4, HitPlacement.Place(p, 1, 16 * 0.125, quantize: true)!.Value.Step); // sixteenth 16 is ring step 4
        Assert.Equal(0, HitPlacement.Place(p, 0, 16 * 0.125, quantize: true)!.Value.Step);
        // 60 ms after step 0: nearer step 1 (at 62.5 ms away) without swing, nearer step 0 with full swing (step 1 at 187.5 ms).
        Assert.Equal(0, HitPlacement.Place(p, 0, 0.060, quantize: false)!.Value.Step);
        Assert.Equal(1, HitPlacement.Place(p, 0, 0.070, quantize: false)!.Value.Step);
        var swung = PatternEditor.SetTrackSwing(p, 0, 100);
        var late = HitPlacement.Place(swung, 0, 0.070, quantize: false)!.Value;
        Assert.Equal((0, 50.0), (late.Step, late.TimingMs)); // 70 ms late, clamped to the step's +50 ms
        Assert.Equal(70, late.OffsetMs, 9);
    }

    [Fact]
    public void A_hit_just_before_the_start_lands_on_step_1_early_and_velocities_map_to_1_to_127()
    {
        var p = PatternFactory.Create(1, seed: 1);
        var early = HitPlacement.Place(p, 0, -0.02, quantize: false)!.Value;
        Assert.Equal((0L, 0, -20.0), (early.Sixteenth, early.Step, Math.Round(early.TimingMs, 9)));
        Assert.Null(HitPlacement.Place(p, 0, double.NaN, quantize: true));
        Assert.Equal(127, HitPlacement.StepVelocity(1));
        Assert.Equal(64, HitPlacement.StepVelocity(0.5));
        Assert.Equal(1, HitPlacement.StepVelocity(0));
        Assert.Equal(127, HitPlacement.StepVelocity(3));
        Assert.Equal(127, HitPlacement.StepVelocity(double.NaN));
    }

    [Fact]
    public void Recording_a_hit_switches_the_step_on_with_its_velocity_and_timing()
    {
        var p = PatternEditor.UpdateStep(PatternFactory.Create(1, seed: 1), 0, 3, s => s with { Pitch = 5, Timing = 20 });
        var r = PatternEditor.RecordHit(p, 0, 3, 90, 0);
        Assert.Equal(p.Tracks[0].Steps[3] with { Active = true, Velocity = 90, Timing = 0 }, r.Tracks[0].Steps[3]);
        Assert.Equal(Step.MaxTiming, PatternEditor.RecordHit(p, 0, 3, 200, 80).Tracks[0].Steps[3].Timing);
    }
}
