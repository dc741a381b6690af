using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Tests;

public class SchedulerTests
{
    [Fact]
    public void Step_lasts_a_sixteenth_of_the_tempo()
    {
        var p = PatternFactory.Create(1, 1);
        Assert.Equal(0.125, p.StepSeconds, 12);
        Assert.Equal(2.0, p.CycleSeconds, 12);
    }

    [Fact]
    public void Swing_delays_odd_sixteenths_by_half_the_amount()
    {
        var p = PatternFactory.Create(1, 1) with { Swing = 50 };
        for (var i = 0; i < 16; i++) p = PatternEditor.SetStepActive(p, 0, i, true);
        var events = Scheduler.EventsForCycles(p, 1);
        Assert.Equal(16, events.Count);
        for (var i = 0; i < 16; i++)
        {
            var expected = i * 0.125 + (i % 2 == 1 ? 0.5 * 0.125 / 2 : 0);
            Assert.Equal(expected, events[i].Time, 12);
            Assert.Equal(i, events[i].StepIndex);
        }
    }

    [Fact]
    public void Swing_counts_sixteenths_of_the_pattern_grid_not_of_the_track()
    {
        // A 3-step ring: its step 0 lands on grid sixteenths 0, 3, 6, 9 — the odd ones swing.
        var p = PatternFactory.Create(1, 1) with { Swing = 100 };
        p = PatternEditor.SetTrackLength(p, 0, 3);
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        var events = Scheduler.EventsForCycles(p, 1);
        var step = 0.125;
        Assert.Equal([0, 3 * step + step / 2, 6 * step, 9 * step + step / 2, 12 * step, 15 * step + step / 2], events.Select(e => Math.Round(e.Time, 9)).ToArray());
        Assert.Equal([0L, 1, 2, 3, 4, 5], events.Select(e => e.Cycle).ToArray());
    }

    [Fact]
    public void Micro_timing_moves_notes_after_swing_and_never_before_zero()
    {
        var p = PatternFactory.Create(1, 1) with { Swing = 40 };
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        p = PatternEditor.SetStepTiming(p, 0, 0, -30);
        p = PatternEditor.SetStepActive(p, 0, 1, true);
        p = PatternEditor.SetStepTiming(p, 0, 1, 12.5);
        var events = Scheduler.EventsForCycles(p, 2);
        Assert.Equal(0, events[0].Time, 12);                              // −30 ms at the very start clamps to 0
        Assert.Equal(0.125 + 0.4 * 0.0625 + 0.0125, events[1].Time, 12);
        Assert.Equal(2.0 - 0.030, events[2].Time, 12);                    // second cycle: really 30 ms early
        Assert.Equal(1L, events[2].Cycle);
    }

    [Fact]
    public void Muted_tracks_are_silent_and_solo_silences_the_others()
    {
        var p = PatternFactory.Create(3, 1);
        for (var t = 0; t < 3; t++) p = PatternEditor.EuclideanFill(p, t, 4);
        Assert.Equal(12, Scheduler.EventsForCycles(p, 1).Count);
        var muted = PatternEditor.SetTrackMute(p, 1, true);
        Assert.DoesNotContain(Scheduler.EventsForCycles(muted, 1), e => e.TrackIndex == 1);
        var solo = PatternEditor.SetTrackSolo(p, 2, true);
        Assert.All(Scheduler.EventsForCycles(solo, 1), e => Assert.Equal(2, e.TrackIndex));
        var soloMuted = PatternEditor.SetTrackMute(solo, 2, true);
        Assert.Empty(Scheduler.EventsForCycles(soloMuted, 1));
    }

    [Fact]
    public void Events_carry_gain_pan_sample_and_effects()
    {
        var p = PatternFactory.Create(2, 1);
        p = PatternEditor.SetStepActive(p, 1, 2, true);
        p = PatternEditor.SetStepVelocity(p, 1, 2, 64);
        p = PatternEditor.SetTrackPan(p, 1, -0.5);
        p = PatternEditor.SetStepSample(p, 1, 2, "kick");
        var fx = new StepEffects(new FilterEffect(FilterType.Highpass, 800, 2), null, new DelayEffect(0.2, 0.4, 0.5));
        p = PatternEditor.SetStepEffects(p, 1, 2, fx);
        var e = Assert.Single(Scheduler.EventsForCycles(p, 1));
        Assert.Equal((1, 2, "kick", -0.5, fx), (e.TrackIndex, e.StepIndex, e.SampleKey, e.Pan, e.Effects));
        Assert.Equal(64 / 127.0, e.Gain, 12);
    }

    [Fact]
    public void Probability_zero_never_fires_and_one_always_fires()
    {
        var p = PatternFactory.Create(1, 99);
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        p = PatternEditor.SetStepActive(p, 0, 8, true);
        p = PatternEditor.SetStepProbability(p, 0, 8, 0);
        var events = Scheduler.EventsForCycles(p, 1000);
        Assert.Equal(1000, events.Count);
        Assert.All(events, e => Assert.Equal(0, e.StepIndex));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Probability_fires_within_binomial_four_sigma_over_ten_thousand_cycles(double probability)
    {
        foreach (var seed in new uint[] { 1, 2, 12345, uint.MaxValue })
        {
            var p = PatternFactory.Create(1, seed);
            p = PatternEditor.SetLength(p, 1);
            p = PatternEditor.SetStepActive(p, 0, 0, true);
            p = PatternEditor.SetStepProbability(p, 0, 0, probability);
            const int cycles = 10_000;
            var fired = Scheduler.EventsForCycles(p, cycles).Count;
            var mean = cycles * probability;
            var sigma = Math.Sqrt(cycles * probability * (1 - probability));
            Assert.InRange(fired, mean - 4 * sigma, mean + 4 * sigma);
        }
    }

    [Fact]
    public void Same_seed_gives_same_events_and_another_seed_rerolls()
    {
        var p = TestPatterns.Busy();
        var a = Scheduler.EventsForCycles(p, 50);
        Assert.Equal(a, Scheduler.EventsForCycles(p with { }, 50));
        var rerolled = Scheduler.EventsForCycles(PatternEditor.RerollSeed(p, 8), 50);
        Assert.NotEqual(a, rerolled);
        // Only the probabilistic steps differ.
        Assert.Equal(a.Where(e => e.TrackIndex < 2), rerolled.Where(e => e.TrackIndex < 2));
    }

    [Fact]
    public void Empty_or_backwards_windows_hold_no_events()
    {
        var p = TestPatterns.Busy();
        Assert.Empty(Scheduler.EventsBetween(p, 1, 1));
        Assert.Empty(Scheduler.EventsBetween(p, 2, 1));
        Assert.Empty(Scheduler.EventsBetween(p, double.NaN, 1));
    }

    [Property(MaxTest = 200)]
    public Property Adjacent_windows_yield_exactly_the_events_of_the_whole_span()
    {
        var gen =
            from swing in Gen.Choose(0, 100)
            from bpm in Gen.Choose(40, 200)
            from seed in Gen.Choose(0, int.MaxValue)
            from cuts in Gen.ListOf(Gen.Choose(1, 100_000))
            select (swing, bpm, seed, cuts);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var p = TestPatterns.Busy(x.swing, (uint)x.seed) with { Bpm = x.bpm };
            var span = 3 * p.CycleSeconds;
            var whole = Scheduler.EventsBetween(p, 0, span);
            // Cut points anywhere in the span, including windows much smaller than a step.
            var points = x.cuts.Select(c => c / 100_000.0 * span).Append(0).Append(span).Distinct().Order().ToArray();
            var pieces = new List<NoteEvent>();
            for (var i = 0; i + 1 < points.Length; i++) pieces.AddRange(Scheduler.EventsBetween(p, points[i], points[i + 1]));
            return whole.SequenceEqual(pieces) && whole.Zip(whole.Skip(1)).All(w => w.First.Time <= w.Second.Time);
        });
    }

    [Property(MaxTest = 100)]
    public Property Event_count_is_active_steps_times_cycles_when_every_probability_is_one()
    {
        var gen =
            from tracks in Gen.Choose(1, 8)
            from length in Gen.Choose(1, 64)
            from hits in Gen.ListOf(Gen.Choose(0, 64))
            from cycles in Gen.Choose(1, 6)
            from swing in Gen.Choose(0, 100)
            select (tracks, length, hits, cycles, swing);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var p = PatternEditor.SetLength(PatternFactory.Create(x.tracks, 3), x.length) with { Swing = x.swing };
            for (var t = 0; t < x.tracks; t++)
                p = PatternEditor.EuclideanFill(p, t, x.hits.Count > t ? x.hits[t] % (x.length + 1) : 1);
            var active = p.Tracks.Sum(t => t.ActiveSteps);
            return Scheduler.EventsForCycles(p, x.cycles).Count == active * x.cycles;
        });
    }
}

public class SamplesInUseTests
{
    [Property(MaxTest = 300)]
    public Property Every_scheduled_note_plays_a_sample_in_use_and_every_sample_in_use_belongs_to_an_active_step()
    {
        return Prop.ForAll(RandomPatterns.Valid, p =>
        {
            var inUse = p.SamplesInUse().Select(e => e.Key).ToHashSet();
            var played = Scheduler.EventsBetween(p, 0, 3 * p.CycleSeconds).Select(e => e.SampleKey).ToHashSet();
            var active = p.Tracks.SelectMany(t => t.Steps.Items.Where(s => s.Active).Select(s => s.Sample ?? t.Sample)).ToHashSet();
            return played.IsSubsetOf(inUse) && inUse.All(k => active.Contains(k));
        });
    }
}
