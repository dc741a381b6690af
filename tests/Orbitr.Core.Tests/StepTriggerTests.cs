using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Tests;

/// <summary>The scheduler's pattern-v2 rules: ratchet hits, trig conditions over cycles (with the fill switch),
/// per-ring swing and the choke group carried on each note; windows still split exactly.</summary>
public class StepTriggerTests
{
    private static Pattern One(Func<Step, Step> change, int step = 0, int rings = 1)
    {
        var p = PatternFactory.Create(rings, 5);
        return PatternEditor.UpdateStep(p, 0, step, s => change(s with { Active = true }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void A_ratchet_fires_evenly_within_its_step(int ratchet)
    {
        var p = One(s => s with { Ratchet = ratchet, Timing = -12 }, step: 5) with { Swing = 60 };
        var notes = Scheduler.EventsForCycles(p, 2);
        Assert.Equal(2 * ratchet, notes.Count);
        var step = p.StepSeconds;
        for (var c = 0; c < 2; c++)
        {
            var n = c * 16 + 5;
            var t = n * step + 0.6 * step / 2 - 0.012;
            for (var k = 0; k < ratchet; k++)
            {
                var e = notes[c * ratchet + k];
                Assert.Equal(t + k * step / ratchet, e.Time, 12);
                Assert.Equal((5, (long)c, k), (e.StepIndex, e.Cycle, e.Hit));
            }
        }
    }

    [Fact]
    public void Ratchet_hits_split_across_windows_exactly_as_the_whole_span()
    {
        var p = One(s => s with { Ratchet = 7 }, step: 15);
        p = PatternEditor.UpdateStep(p, 0, 3, s => s with { Active = true, Ratchet = 5, Timing = 50 });
        var whole = Scheduler.EventsBetween(p, 0, 4 * p.CycleSeconds);
        foreach (var window in new[] { 0.001, 0.025, 0.0137, 0.1, 0.5 })
        {
            var pieces = new List<NoteEvent>();
            for (var t = 0.0; t < 4 * p.CycleSeconds; t += window)
                Scheduler.AddEventsBetween(p, t, Math.Min(t + window, 4 * p.CycleSeconds), pieces);
            Assert.Equal(whole, pieces);
        }
        Assert.Equal(whole, Scheduler.EventsForCycles(p, 4));
    }

    [Fact]
    public void Ratio_conditions_play_when_the_cycle_mod_B_is_A_minus_1()
    {
        for (var b = 1; b <= 8; b++)
        {
            for (var a = 1; a <= b; a++)
            {
                var p = One(s => s with { Condition = TrigCondition.Ratio(a, b) });
                var cycles = Scheduler.EventsForCycles(p, 8).Select(e => e.Cycle).ToList();
                var expected = Enumerable.Range(0, 8).Where(c => c % b == a - 1).Select(c => (long)c).ToList();
                Assert.Equal(expected, cycles);
            }
        }
    }

    [Fact]
    public void First_and_fill_conditions_follow_the_cycle_and_the_fill_switch()
    {
        List<long> Cycles(TrigCondition c, bool fill) =>
            [.. Scheduler.EventsForCycles(One(s => s with { Condition = c }), 8, fill).Select(e => e.Cycle)];
        Assert.Equal([0L], Cycles(TrigCondition.First, false));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], Cycles(TrigCondition.NotFirst, true));
        Assert.Empty(Cycles(TrigCondition.Fill, false));
        Assert.Equal(8, Cycles(TrigCondition.Fill, true).Count);
        Assert.Equal(8, Cycles(TrigCondition.NotFill, false).Count);
        Assert.Empty(Cycles(TrigCondition.NotFill, true));
    }

    [Fact]
    public void Conditions_count_cycles_per_ring_and_combine_with_probability()
    {
        // A 5-step ring: its cycle c covers sixteenths 5c … 5c + 4, so "1:2" plays on sixteenths 0, 10, 20, …
        var p = PatternFactory.Create(1, 9);
        p = PatternEditor.SetTrackLength(p, 0, 5);
        p = PatternEditor.UpdateStep(p, 0, 0, s => s with { Active = true, Condition = TrigCondition.Ratio(1, 2), Probability = 0.5 });
        var notes = Scheduler.EventsForCycles(p, 4); // 64 sixteenths: ring cycles 0 … 12
        var expected = Enumerable.Range(0, 13).Where(c => c % 2 == 0 && Probability.Fires(0.5, p.Seed, 0, 0, c)).Select(c => (long)c).ToList();
        Assert.Equal(expected, notes.Select(e => e.Cycle).ToList());
        Assert.All(notes, e => Assert.Equal(e.Cycle * 5 * p.StepSeconds, e.Time, 12));
    }

    [Fact]
    public void A_ring_with_its_own_swing_ignores_the_patterns()
    {
        var p = PatternFactory.Create(2, 1) with { Swing = 50 };
        for (var s = 0; s < 16; s++)
        {
            p = PatternEditor.SetStepActive(p, 0, s, true);
            p = PatternEditor.SetStepActive(p, 1, s, true);
        }
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Swing = 0 });
        var notes = Scheduler.EventsForCycles(p, 1);
        foreach (var e in notes)
        {
            var swing = e.TrackIndex == 0 ? 50 : 0;
            Assert.Equal(e.StepIndex * p.StepSeconds + (e.StepIndex % 2 == 1 ? swing / 100.0 * p.StepSeconds / 2 : 0), e.Time, 12);
        }
        // A ring's swing above the pattern's still lands in its window (the candidate range widens to it).
        p = PatternEditor.UpdateTrack(p with { Swing = 0 }, 1, t => t with { Swing = 100 });
        var whole = Scheduler.EventsBetween(p, 0, p.CycleSeconds);
        var pieces = new List<NoteEvent>();
        for (var t = 0.0; t < p.CycleSeconds; t += 0.01) Scheduler.AddEventsBetween(p, t, Math.Min(t + 0.01, p.CycleSeconds), pieces);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Every_note_carries_its_rings_choke_group_and_its_step()
    {
        var p = One(s => s with { Pitch = 3, Gate = 0.1 }, rings: 2);
        p = PatternEditor.UpdateTrack(p, 0, t => t with { Choke = 4 });
        p = PatternEditor.SetStepActive(p, 1, 0, true);
        var notes = Scheduler.EventsForCycles(p, 1);
        Assert.Equal(4, notes.Single(n => n.TrackIndex == 0).Choke);
        Assert.Null(notes.Single(n => n.TrackIndex == 1).Choke);
        var first = notes.Single(n => n.TrackIndex == 0);
        Assert.Equal(0.1, first.Step!.Gate);
        Assert.Equal((double)(float)Math.Pow(2, 3 / 12.0), first.Rate);
        Assert.Equal(1.0, notes.Single(n => n.TrackIndex == 1).Rate);
    }
}
