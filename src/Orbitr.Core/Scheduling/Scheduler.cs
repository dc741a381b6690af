using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>The look-ahead scheduler's pure core (ARCHITECTURE §3): which notes start in a window of time.
/// The browser asks it every 25 ms for the next 100 ms; the renderer asks once for the whole span.</summary>
public static class Scheduler
{
    /// <summary>Every note whose start lies in [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>), ordered by
    /// time, then track, then step (then ratchet hit). <paramref name="fill"/>: whether the fill switch is held.</summary>
    public static List<NoteEvent> EventsBetween(Pattern pattern, double fromSeconds, double toSeconds, bool fill = false)
    {
        var events = new List<NoteEvent>();
        AddEventsBetween(pattern, fromSeconds, toSeconds, events, fill);
        return events;
    }

    /// <summary>As <see cref="EventsBetween"/>, appending to a caller's list (no allocation when it has room).</summary>
    public static void AddEventsBetween(Pattern pattern, double fromSeconds, double toSeconds, List<NoteEvent> events, bool fill = false)
    {
        if (!(toSeconds > fromSeconds) || !double.IsFinite(fromSeconds) || !double.IsFinite(toSeconds)) return;
        var start = events.Count;
        var stepSeconds = pattern.StepSeconds;
        if (!(stepSeconds > 0) || !double.IsFinite(stepSeconds)) return;
        // A note on sixteenth n can move by at most +swing/2 step + 50 ms (+ almost a step for a ratchet's last hit), or
        // −50 ms: widen the candidate range by that.
        var lateMax = MaxSwing(pattern) / 100.0 * stepSeconds / 2.0 + Step.MaxTiming / 1000.0 + stepSeconds;
        var earlyMax = -Step.MinTiming / 1000.0;
        var nFirst = (long)Math.Floor((fromSeconds - lateMax) / stepSeconds) - 1;
        var nLast = (long)Math.Ceiling((toSeconds + earlyMax) / stepSeconds) + 1;
        if (nFirst < 0) nFirst = 0;
        var anySolo = pattern.AnySolo;

        for (var ti = 0; ti < pattern.Tracks.Count; ti++)
        {
            var track = pattern.Tracks[ti];
            if (track.Mute || (anySolo && !track.Solo)) continue;
            var length = track.Steps.Count;
            if (length == 0) continue;
            var swing = pattern.SwingOf(track);
            for (var n = nFirst; n <= nLast; n++)
            {
                var cycle = n / length;
                var si = (int)(n % length);
                var step = track.Steps[si];
                if (!step.Active) continue;
                var sampleKey = step.Sample ?? track.Sample;
                if (sampleKey is null) continue;
                var t = Timing.NoteTime(stepSeconds, swing, n, step.Timing);
                var ratchet = Math.Max(1, step.Ratchet);
                if (t >= toSeconds || Timing.HitTime(t, stepSeconds, ratchet - 1, ratchet) < fromSeconds) continue;
                if (!Plays(pattern, step, ti, si, cycle, fill)) continue;
                for (var hit = 0; hit < ratchet; hit++)
                {
                    var th = Timing.HitTime(t, stepSeconds, hit, ratchet);
                    if (th < fromSeconds || th >= toSeconds) continue;
                    events.Add(new NoteEvent(th, ti, si, cycle, sampleKey, step.Gain, track.Pan, step.Effects, step, hit, track.Choke));
                }
            }
        }
        events.Sort(start, events.Count - start, EventOrder.Instance);
    }

    /// <summary>Whether an active step plays in this cycle of its ring: its condition holds and its probability fires
    /// (one roll for all its ratchet hits).</summary>
    public static bool Plays(Pattern pattern, Step step, int trackIndex, int stepIndex, long cycle, bool fill) =>
        (step.Condition is not { } c || c.Holds(cycle, fill)) && Probability.Fires(step.Probability, pattern.Seed, trackIndex, stepIndex, cycle);

    private static double MaxSwing(Pattern pattern)
    {
        var max = Math.Max(0, pattern.Swing);
        foreach (var t in pattern.Tracks) if (t.Swing is { } s && s > max) max = s;
        return max;
    }

    /// <summary>Every note of <paramref name="cycles"/> cycles of the pattern (ARCHITECTURE §3), ordered as
    /// <see cref="EventsBetween"/>: see <see cref="EnumerateCycles"/>.</summary>
    public static List<NoteEvent> EventsForCycles(Pattern pattern, int cycles, bool fill = false) => [.. EnumerateCycles(pattern, cycles, fill)];

    /// <summary>The notes of the grid sixteenths n with 0 ≤ n &lt; <paramref name="cycles"/> × length, in time order
    /// (then track, then step), produced lazily with memory that does not grow with the number of cycles.
    /// Notes are chosen by that integer rule, never by comparing times with the span's end: swing and micro-timing
    /// move a note in time (a late last step may start after the span; step 0 with negative timing clamps to 0),
    /// but never in or out of an export. A ratchet hit belongs to its step.</summary>
    public static IEnumerable<NoteEvent> EnumerateCycles(Pattern pattern, int cycles, bool fill = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        return EnumerateGrid(pattern, (long)cycles * pattern.Length, fill);
    }

    private static IEnumerable<NoteEvent> EnumerateGrid(Pattern pattern, long gridSteps, bool fill)
    {
        var stepSeconds = pattern.StepSeconds;
        if (!(stepSeconds > 0) || !double.IsFinite(stepSeconds)) yield break;
        // A note of sixteenth n starts no earlier than n × step − 50 ms: once the next sixteenth's earliest start is
        // past a waiting note, nothing later can come before it, so it can be handed out.
        var earlyMax = -Step.MinTiming / 1000.0;
        var waiting = new PriorityQueue<NoteEvent, NoteEvent>(EventOrder.Instance);
        var anySolo = pattern.AnySolo;
        for (long n = 0; n < gridSteps; n++)
        {
            var earliestNext = Math.Max(0, n * stepSeconds - earlyMax);
            while (waiting.TryPeek(out var first, out _) && first.Time < earliestNext) yield return waiting.Dequeue();
            for (var ti = 0; ti < pattern.Tracks.Count; ti++)
            {
                var track = pattern.Tracks[ti];
                if (track.Mute || (anySolo && !track.Solo)) continue;
                var length = track.Steps.Count;
                if (length == 0) continue;
                var cycle = n / length;
                var si = (int)(n % length);
                var step = track.Steps[si];
                if (!step.Active) continue;
                if ((step.Sample ?? track.Sample) is not { } sampleKey) continue;
                if (!Plays(pattern, step, ti, si, cycle, fill)) continue;
                var t = Timing.NoteTime(stepSeconds, pattern.SwingOf(track), n, step.Timing);
                var ratchet = Math.Max(1, step.Ratchet);
                for (var hit = 0; hit < ratchet; hit++)
                {
                    var e = new NoteEvent(Timing.HitTime(t, stepSeconds, hit, ratchet), ti, si, cycle, sampleKey, step.Gain, track.Pan,
                        step.Effects, step, hit, track.Choke);
                    waiting.Enqueue(e, e);
                }
            }
        }
        while (waiting.Count > 0) yield return waiting.Dequeue();
    }

    private sealed class EventOrder : IComparer<NoteEvent>
    {
        public static readonly EventOrder Instance = new();

        public int Compare(NoteEvent a, NoteEvent b)
        {
            var c = a.Time.CompareTo(b.Time);
            if (c != 0) return c;
            c = a.TrackIndex.CompareTo(b.TrackIndex);
            if (c != 0) return c;
            c = a.StepIndex.CompareTo(b.StepIndex);
            return c != 0 ? c : a.Hit.CompareTo(b.Hit);
        }
    }
}
