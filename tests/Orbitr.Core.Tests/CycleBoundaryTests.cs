using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NAudio.Midi;
using Orbitr.Core.Editing;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Tests;

/// <summary>"N cycles" means the notes of the grid sixteenths 0 ≤ n &lt; N × length, chosen by integer arithmetic
/// (ARCHITECTURE §3). Swing and micro-timing move notes in time, never in or out of an export.</summary>
public class CycleBoundaryTests
{
    /// <summary>The notes an export of <paramref name="cycles"/> cycles must hold, counted by brute force over the grid.</summary>
    internal static List<(int Track, int Step, long Cycle)> IntegerNotes(Pattern p, int cycles)
    {
        var notes = new List<(int, int, long)>();
        for (var t = 0; t < p.Tracks.Count; t++)
        {
            var track = p.Tracks[t];
            if (!p.IsAudible(t) || track.Steps.Count == 0) continue;
            for (long n = 0; n < (long)cycles * p.Length; n++)
            {
                var s = (int)(n % track.Steps.Count);
                var step = track.Steps[s];
                var cycle = n / track.Steps.Count;
                // Written out on its own: a ratchet's hits are notes of the step; a condition and the dice decide the cycle.
                if (step.Active && (step.Sample ?? track.Sample) is not null && (step.Condition is not { } c || c.Holds(cycle, false))
                    && Probability.Fires(step.Probability, p.Seed, t, s, cycle))
                    for (var hit = 0; hit < step.Ratchet; hit++) notes.Add((t, s, cycle));
            }
        }
        return notes;
    }

    internal static Gen<(Pattern Pattern, int Cycles)> Cases =>
        from seed in Gen.Choose(0, int.MaxValue)
        from bpmChoice in Gen.Choose(0, 3)
        from bpmTenths in Gen.Choose(400, 2000)
        from cycles in Gen.Choose(1, 64)
        let p = RandomPatterns.Create(seed)
        // Round tempos (where 0.1-step floating sums go wrong), tenths such as 133.3, the edges, and whatever the pattern had.
        let bpm = bpmChoice switch { 0 => Math.Round(bpmTenths / 10.0), 1 => bpmTenths / 10.0, 2 => bpmTenths % 2 == 0 ? 40 : 200, _ => p.Bpm }
        select (p with { Bpm = bpm }, cycles);

    [Fact]
    public void Seven_steps_at_200_bpm_with_full_swing_for_six_cycles_hold_exactly_42_notes()
    {
        // Reported from outside: the first note of cycle 7 (t = 3.150 s = 42 × 75 ms) was rendered and exported.
        var p = PatternEditor.SetLength(PatternFactory.Create(1, 1), 7) with { Bpm = 200, Swing = 100 };
        for (var s = 0; s < 7; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        var notes = Scheduler.EventsForCycles(p, 6);
        Assert.Equal(42, notes.Count);
        Assert.Equal(Enumerable.Range(0, 6).SelectMany(c => Enumerable.Range(0, 7).Select(s => (long)c * 7 + s)),
            notes.Select(e => e.Cycle * 7 + e.StepIndex));
        Assert.True(notes[^1].Time < 3.150);
    }

    [Fact]
    public void A_late_last_step_stays_in_and_an_early_first_step_clamps_to_zero()
    {
        var p = PatternEditor.SetLength(PatternFactory.Create(1, 1), 4) with { Bpm = 200, Swing = 100 };
        p = PatternEditor.SetStepActive(p, 0, 0, true);
        p = PatternEditor.SetStepTiming(p, 0, 0, -50);
        p = PatternEditor.SetStepActive(p, 0, 3, true);
        p = PatternEditor.SetStepTiming(p, 0, 3, 50);
        var notes = Scheduler.EventsForCycles(p, 2);
        Assert.Equal(4, notes.Count);
        Assert.Equal(0, notes[0].Time);
        // Sixteenth 7 at 75 ms + 37.5 ms swing + 50 ms: after the 0.6 s span, and still the export's last note.
        Assert.Equal(7 * 0.075 + 0.0375 + 0.05, notes[^1].Time, 12);
        Assert.True(notes[^1].Time > 2 * p.CycleSeconds);
        // A note of the next cycle moved early by its timing is never pulled in.
        Assert.DoesNotContain(notes, e => e.Cycle * 4 + e.StepIndex >= 8);
    }

    [Property(MaxTest = 300)]
    public Property Notes_of_n_cycles_are_exactly_the_integer_grid_steps_in_time_order()
    {
        return Prop.ForAll(Cases.ToArbitrary(), x =>
        {
            var (p, cycles) = x;
            var notes = Scheduler.EventsForCycles(p, cycles);
            var expected = IntegerNotes(p, cycles).Order().ToList();
            var actual = notes.Select(e => (e.TrackIndex, e.StepIndex, e.Cycle)).Order().ToList();
            var inTimeOrder = notes.Zip(notes.Skip(1)).All(w => w.First.Time <= w.Second.Time);
            // The same notes as the live scheduler's, with the same times and order, once the live window is cut by the grid rule.
            var limit = (long)cycles * p.Length;
            var live = Scheduler.EventsBetween(p, 0, cycles * p.CycleSeconds + 1)
                .Where(e => e.Cycle * p.Tracks[e.TrackIndex].Steps.Count + e.StepIndex < limit).ToList();
            return (expected.SequenceEqual(actual) && inTimeOrder && live.SequenceEqual(notes))
                .Label($"bpm {p.Bpm}, length {p.Length}, cycles {cycles}: {actual.Count} notes, expected {expected.Count}");
        });
    }

    [Property(MaxTest = 150)]
    public Property Midi_note_ons_are_the_notes_of_n_cycles()
    {
        return Prop.ForAll(Cases.ToArbitrary(), x =>
        {
            var (p, cycles) = x;
            var expected = IntegerNotes(p, cycles).Count(n => p.Tracks[n.Track].Steps[n.Step].Velocity > 0);
            var midi = MidiExportTests.Read(MidiExport.ToBytes(p, cycles));
            var noteOns = Enumerable.Range(1, midi.Tracks - 1).Sum(t => midi.Events[t].OfType<NoteOnEvent>().Count(e => e.Velocity > 0));
            return (noteOns == expected).Label($"bpm {p.Bpm}, length {p.Length}, cycles {cycles}: {noteOns} note-ons, expected {expected}");
        });
    }

    [Fact]
    public void Notes_are_produced_lazily_in_memory_that_does_not_grow_with_the_cycles()
    {
        // 100 000 cycles of 8 × 64 busy steps would be 51 M notes as a list; taking the first few must be instant and small.
        var p = PatternEditor.SetLength(PatternFactory.Create(8, 1), 64);
        for (var t = 0; t < 8; t++) p = PatternEditor.EuclideanFill(p, t, 64);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var first = Scheduler.EnumerateCycles(p, 100_000).Take(1000).ToList();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, first.Count);
        Assert.True(allocated < 1_000_000, $"{allocated:N0} bytes allocated for 1,000 notes");
    }
}
