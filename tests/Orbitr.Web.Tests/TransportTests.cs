using Orbitr.Core.Songs;
using Orbitr.Dsp.Rendering;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Web.Audio.Playback;

namespace Orbitr.Web.Tests;

/// <summary>The transport against a fake audio clock: ticks every 25 ms, as the worker clock does.</summary>
public class TransportTests
{
    private static Pattern Busy()
    {
        var p = PatternFactory.Create(3, seed: 4) with { Swing = 35 };
        for (var s = 0; s < 16; s++) p = PatternEditor.UpdateStep(p, 0, s, st => st with { Active = true, Timing = s % 3 == 0 ? -30 : 12 });
        p = PatternEditor.SetTrackLength(p, 1, 7);
        for (var s = 0; s < 7; s++) p = PatternEditor.UpdateStep(p, 1, s, st => st with { Active = true, Probability = 0.6 });
        return p;
    }

    [Fact]
    public void Ticks_hand_out_exactly_the_schedulers_notes_each_before_it_is_due()
    {
        var p = Busy();
        var transport = new Transport();
        transport.Start(p);
        var handed = new List<(NoteEvent Note, double Now)>();
        var batch = new List<NoteEvent>();
        for (var now = 3.0; now < 5.0; now += 0.025)
        {
            batch.Clear();
            transport.Tick(now, p, batch);
            handed.AddRange(batch.Select(e => (e, now)));
        }
        var expected = Scheduler.EventsBetween(p, 0, transport.ScheduledUntil);
        Assert.Equal(expected, handed.Select(h => h.Note));
        Assert.All(handed, h => Assert.True(transport.Origin + h.Note.Time > h.Now, $"{h.Note} handed out late at {h.Now}"));
        Assert.True(transport.ScheduledUntil > 1.9);
        Assert.Equal(3.0 + Transport.StartDelaySeconds, transport.Origin); // anchored to the first tick
    }

    [Fact]
    public void A_tempo_change_keeps_the_loop_position_and_skips_or_repeats_no_step()
    {
        var p = PatternEditor.SetStepActive(PatternFactory.Create(1, seed: 1), 0, 0, true);
        for (var s = 0; s < 16; s++) p = PatternEditor.SetStepActive(p, 0, s, true);
        var transport = new Transport();
        transport.Start(p);
        var notes = new List<NoteEvent>();
        var now = 0.0;
        for (; now < 1.0; now += 0.025) transport.Tick(now, p, notes);
        var before = transport.PositionInSteps(now, p);
        var faster = PatternEditor.SetBpm(p, 170);
        // The notes handed out from the clock on are cancelled (at their old times) and handed out again.
        var oldOrigin = transport.Origin;
        var batch = new List<NoteEvent>();
        var cancelFrom = transport.Tick(now, faster, batch);
        Assert.False(double.IsNaN(cancelFrom));
        notes.RemoveAll(n => oldOrigin + n.Time >= cancelFrom);
        notes.AddRange(batch);
        Assert.Equal(before, transport.PositionInSteps(now, faster), 9);
        for (; now < 3.0; now += 0.025) transport.Tick(now, faster, notes);
        var steps = notes.Select(n => n.Cycle * 16 + n.StepIndex).ToList();
        Assert.Equal(Enumerable.Range(0, steps.Count).Select(i => (long)i), steps);
    }

    [Fact]
    public void An_edit_rewinds_to_the_clock_so_the_notes_ahead_come_from_the_new_pattern()
    {
        var p = Busy();
        var transport = new Transport();
        transport.Start(p);
        var notes = new List<NoteEvent>();
        var now = 1.0;
        for (; now < 2.0; now += 0.025) transport.Tick(now, p, notes);
        Assert.True(transport.ScheduledUntil >= now - 0.025 - transport.Origin + Transport.HorizonSeconds - 1e-9); // 400 ms+ ahead
        var edited = PatternEditor.SetStepActive(p, 0, 5, false);
        var batch = new List<NoteEvent>();
        var cancelFrom = transport.Tick(now, edited, batch, rewind: true);
        Assert.Equal(now, cancelFrom, 9);
        Assert.Equal(Scheduler.EventsBetween(edited, now - transport.Origin, now - transport.Origin + Transport.HorizonSeconds), batch);
        notes.RemoveAll(n => transport.Origin + n.Time >= cancelFrom);
        notes.AddRange(batch);
        Assert.Equal(notes.Count, notes.Distinct().Count());
    }

    [Fact]
    public void Stopped_transport_hands_out_nothing()
    {
        var p = Busy();
        var transport = new Transport();
        var notes = new List<NoteEvent>();
        transport.Tick(1, p, notes);
        transport.Start(p);
        transport.Stop();
        transport.Tick(1.5, p, notes);
        Assert.Empty(notes);
    }

    [Theory]
    // At 120 BPM a sixteenth is 0.125 s. A beat is one 1/denominator note; a bar is numerator beats.
    [InlineData(4, 4, 4, 0.5, 2.0)]    // a quarter (4 sixteenths) every 0.5 s, a bar of 16 sixteenths
    [InlineData(3, 4, 3, 0.5, 1.5)]    // a bar of 12 sixteenths
    [InlineData(6, 8, 6, 0.25, 1.5)]   // eighth-note beats (2 sixteenths) every 0.25 s, a bar of 6 eighths = 12 sixteenths
    public void Metronome_clicks_every_beat_and_accents_each_bar(int numerator, int denominator, int beatsPerBar, double beatSeconds, double barSeconds)
    {
        var p = PatternFactory.Create(1, seed: 1) with { TimeSignature = new TimeSignature(numerator, denominator) };
        Assert.Equal(Pattern.DefaultBpm, p.Bpm);
        Assert.Equal(barSeconds, p.TimeSignature.StepsPerBar * p.StepSeconds, 9);
        var clicks = Metronome.ClicksBetween(p, 0, 4);
        Assert.Equal((int)Math.Round(4 / beatSeconds), clicks.Count);
        for (var i = 0; i < clicks.Count; i++)
        {
            Assert.Equal(i * beatSeconds, clicks[i].Time, 9);
            Assert.Equal(i % beatsPerBar == 0, clicks[i].Accent);
        }
        // The accents fall on the bars' first beats: every bar length, and nowhere else.
        var accents = clicks.Where(c => c.Accent).Select(c => c.Time).ToList();
        Assert.Equal(Enumerable.Range(0, accents.Count).Select(k => k * barSeconds), accents, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal((int)Math.Ceiling(4 / barSeconds), accents.Count);
    }

    [Fact]
    public void Voice_messages_are_twenty_numbers_in_the_documented_order()
    {
        var list = new List<double>();
        var fx = new StepEffects(new FilterEffect(FilterType.Bandpass, 900, 3), null, new DelayEffect(0.3, 0.4, 0.5));
        var step = new Step(Active: true, Effects: fx) { Pitch = 12, Start = 0.25, Reverse = true, Gate = 0.125, Ratchet = 2 };
        VoiceMessage.Append(list, 2.0, new NoteEvent(0.25, 3, 5, 7, "k", 0.5, -0.25, fx, step, 1, 6), buffer: 9, curve: 2);
        Assert.Equal([2.25, 3, 5, 7, 9, 0.5, -0.25, 2, 900, 3, 2, 0.3, 0.4, 0.5, 2, 0.25, 1, 0.125, 6, 100], list);
        VoiceMessage.Append(list, 0, new NoteEvent(1, 0, 0, 0, "k", 1, 0, null), 1, -1);
        Assert.Equal(2 * VoiceMessage.Stride, list.Count);
        Assert.Equal([-1, 0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 0, 100], list.Skip(VoiceMessage.Stride + 7));
    }
}

public class SampleCacheTests
{
    [Fact]
    public void Least_recently_used_samples_are_released_past_the_capacity()
    {
        var cache = new Orbitr.Web.Audio.Samples.SampleCache(capacity: 100);
        Assert.Empty(cache.Add(1, 40));
        Assert.Empty(cache.Add(2, 40));
        cache.Touch(1);                       // 2 is now the least recently used
        Assert.Equal([2], cache.Add(3, 40));
        Assert.Equal(80, cache.Bytes);
        Assert.True(cache.Contains(1) && cache.Contains(3) && !cache.Contains(2));
        Assert.Equal([1, 3], cache.Add(4, 100)); // a sample as big as the cache pushes out all the others
        Assert.Equal([4], cache.Add(5, 500));  // bigger than the cache: kept anyway (never evicts the one just added)
        Assert.True(cache.Contains(5));
        Assert.Equal(500, cache.Bytes);
        Assert.Equal(Orbitr.Web.Audio.Samples.SampleCache.DefaultCapacity, 100L * 1024 * 1024);
    }

    /// <summary>Drives the transport from <paramref name="from"/> to <paramref name="to"/> in 25 ms ticks, keeping what
    /// it hands out as absolute audio-clock times (cancelling as it says), and telling the caller which pattern is
    /// current (the one the app would pass: the queued one after the switch).</summary>
    private static void Run(Transport transport, ref Pattern current, List<(double At, NoteEvent Note)> played, double from, double to, Action<double>? atTick = null)
    {
        var batch = new List<NoteEvent>();
        for (var now = from; now < to; now += 0.025)
        {
            atTick?.Invoke(now);
            batch.Clear();
            var cancelFrom = transport.Tick(now, current, batch);
            if (transport.Switched) current = transport.LastQueued!;
            if (!double.IsNaN(cancelFrom)) played.RemoveAll(n => n.At >= cancelFrom - 1e-12);
            played.AddRange(batch.Select(e => (transport.Origin + e.Time, e)));
        }
    }

    [Theory]
    [InlineData(120, 120)]
    [InlineData(120, 87.5)]
    [InlineData(97, 171)]
    public void A_queued_pattern_starts_exactly_where_the_current_cycle_ends_at_its_own_tempo(double bpmA, double bpmB)
    {
        var a = PatternFactory.Create(2, seed: 1, name: "A") with { Bpm = bpmA, Swing = 20 };
        for (var s = 0; s < 16; s++) a = PatternEditor.SetStepActive(a, 0, s, true);
        var b = PatternFactory.Create(2, seed: 2, name: "B") with { Bpm = bpmB, Swing = 0, Length = 12 };
        b = PatternEditor.SetTrackLength(b, 1, 12);
        b = PatternEditor.SetTrackLength(b, 0, 12);
        foreach (var st in new[] { 0, 3, 6, 9 }) b = PatternEditor.SetStepActive(b, 1, st, true);
        var transport = new Transport();
        transport.Start(a);
        var played = new List<(double At, NoteEvent Note)>();
        var current = a;
        Run(transport, ref current, played, 10.0, 10.0 + 1.3 * a.CycleSeconds);
        var origin = transport.Origin;
        // Queued during the second cycle: it starts at the end of that cycle.
        transport.Queue(b, a, 10.0 + 1.3 * a.CycleSeconds);
        Assert.Equal(2 * a.CycleSeconds, transport.QueuedAt, 12);
        Run(transport, ref current, played, 10.0 + 1.3 * a.CycleSeconds, 10.0 + 2 * a.CycleSeconds + 3 * b.CycleSeconds);
        Assert.Same(b, current);
        var boundary = origin + 2 * a.CycleSeconds;
        Assert.Equal(boundary, transport.Origin, 12);
        // A's notes up to the boundary, exactly its scheduler's; B's from it, exactly its own, at boundary + t.
        var expectedA = Scheduler.EventsBetween(a, 0, 2 * a.CycleSeconds).Select(e => origin + e.Time).ToList();
        var expectedB = Scheduler.EventsBetween(b, 0, transport.ScheduledUntil).Select(e => boundary + e.Time).ToList();
        var got = played.Select(p => p.At).Order().ToList();
        var want = expectedA.Concat(expectedB).Order().ToList();
        Assert.Equal(want.Count, got.Count);
        foreach (var (w, g) in want.Zip(got)) Assert.Equal(w, g, 9);
        Assert.DoesNotContain(played, p => p.Note.TrackIndex == 0 && p.At >= boundary - 1e-9 && p.Note.StepIndex != 0 && b.Tracks[0].Steps[p.Note.StepIndex].Active == false);
    }

    [Fact]
    public void An_unqueued_pattern_never_plays_and_the_current_one_plays_on_through_the_boundary()
    {
        var a = PatternFactory.Create(1, seed: 1, name: "A");
        for (var s = 0; s < 16; s++) a = PatternEditor.SetStepActive(a, 0, s, true);
        var b = PatternEditor.SetBpm(PatternFactory.Create(1, seed: 2, name: "B"), 90);
        b = PatternEditor.SetStepActive(b, 0, 1, true);
        var transport = new Transport();
        transport.Start(a);
        var played = new List<(double At, NoteEvent Note)>();
        var current = a;
        var handedOutB = false;
        Run(transport, ref current, played, 0, 1.6, now =>
        {
            if (Math.Abs(now - 0.5) < 1e-6) transport.Queue(b, a, now);
            handedOutB |= played.Any(p => p.Note.StepIndex == 1 && p.At > transport.Origin + 2); // B's note, handed out a second early
            // Before the boundary at 2 s (from the origin), after B's first notes were handed out.
            if (Math.Abs(now - 1.5) < 1e-6) transport.Unqueue();
        });
        Assert.True(handedOutB);
        Run(transport, ref current, played, 1.6, 5.0);
        Assert.Same(a, current);
        Assert.Null(transport.Queued);
        var origin = transport.Origin;
        var expected = Scheduler.EventsBetween(a, 0, transport.ScheduledUntil).Select(e => origin + e.Time).ToList();
        Assert.Equal(expected.Count, played.Count);
        foreach (var (w, g) in expected.Zip(played.Select(p => p.At).Order())) Assert.Equal(w, g, 9);
    }

    [Fact]
    public void A_tempo_change_while_queued_moves_the_boundary_with_the_cycle()
    {
        var a = PatternFactory.Create(1, seed: 1, name: "A");
        var b = PatternFactory.Create(1, seed: 2, name: "B");
        var transport = new Transport();
        transport.Start(a);
        var notes = new List<NoteEvent>();
        transport.Tick(0, a, notes);
        transport.Tick(0.62, a, notes); // 0.5 s into the first cycle (2 s at 120 BPM)
        transport.Queue(b, a, 0.62);
        Assert.Equal(2.0, transport.QueuedAt, 12);
        transport.Tick(0.65, PatternEditor.SetBpm(a, 60), notes);
        Assert.Equal(4.0, transport.QueuedAt, 9); // the cycle now lasts 4 s: it still ends at step 16
    }
}

/// <summary>Song playback on the transport (issue 25): sections queued one by one land on the song timeline.</summary>
public class SongTransportTests
{
    [Fact]
    public void A_song_queued_section_by_section_plays_the_song_timeline_exactly()
    {
        // What SongPlayer does: each section queued to start `repeat` cycles after the one before began, the next one
        // queued once it has started; a silent one-step pattern ends the song.
        Pattern Make(uint seed, double bpm, int length, int swing)
        {
            var p = PatternFactory.Create(2, seed: seed, name: $"P{seed}") with { Bpm = bpm, Swing = swing };
            p = PatternEditor.SetLength(p, length);
            for (var s = 0; s < length; s += 1 + (int)(seed % 3)) p = PatternEditor.SetStepActive(p, (int)(seed % 2), s, true);
            return PatternEditor.SetStepActive(p, 1, length - 1, true);
        }
        SongPart[] parts = [new(Make(1, 120, 16, 30), 3), new(Make(2, 87.5, 12, 0), 2), new(Make(3, 171, 7, 55), 1), new(Make(1, 120, 16, 30), 2)];
        var silence = PatternEditor.SetLength(PatternEditor.ClearPattern(parts[^1].Pattern), 1);
        var transport = new Transport();
        transport.Start(parts[0].Pattern);
        transport.Queue(parts[1].Pattern, parts[0].Pattern, 5.0, parts[0].Repeat);
        var current = parts[0].Pattern;
        var section = 0;
        var played = new List<double>();
        var batch = new List<NoteEvent>();
        double origin = double.NaN;
        for (var now = 5.0; section < parts.Length; now += 0.025)
        {
            batch.Clear();
            var cancelFrom = transport.Tick(now, current, batch);
            if (double.IsNaN(origin)) origin = transport.Origin;
            if (!double.IsNaN(cancelFrom)) played.RemoveAll(t => t >= cancelFrom - 1e-12);
            played.AddRange(batch.Select(e => transport.Origin + e.Time));
            if (!transport.Switched) continue;
            current = transport.LastQueued!;
            section++;
            if (section < parts.Length)
                transport.Queue(section + 1 < parts.Length ? parts[section + 1].Pattern : silence, current, now + 0.025, parts[section].Repeat);
        }
        var expected = SongTimeline.Notes(parts).Select(n => origin + n.Note.Time).ToList();
        Assert.Equal(origin + SongTimeline.TotalSeconds(parts), transport.Origin, 9); // the silence began where the song ends
        var got = played.Order().ToList();
        Assert.Equal(expected.Count, got.Count);
        foreach (var (w, g) in expected.Order().Zip(got)) Assert.Equal(w, g, 9);
    }
}
