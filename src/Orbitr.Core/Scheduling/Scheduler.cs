using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>The look-ahead scheduler's pure core (ARCHITECTURE §3): which notes start in a window of time.
/// The browser asks it every 25 ms for the next 100 ms; the renderer asks once for the whole span.</summary>
public static class Scheduler
{
    /// <summary>Every note whose start lies in [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>), ordered by time, then track, then step.</summary>
    public static List<NoteEvent> EventsBetween(Pattern pattern, double fromSeconds, double toSeconds)
    {
        var events = new List<NoteEvent>();
        AddEventsBetween(pattern, fromSeconds, toSeconds, events);
        return events;
    }

    /// <summary>As <see cref="EventsBetween"/>, appending to a caller's list (no allocation when it has room).</summary>
    public static void AddEventsBetween(Pattern pattern, double fromSeconds, double toSeconds, List<NoteEvent> events)
    {
        if (!(toSeconds > fromSeconds) || !double.IsFinite(fromSeconds) || !double.IsFinite(toSeconds)) return;
        var start = events.Count;
        var stepSeconds = pattern.StepSeconds;
        if (!(stepSeconds > 0) || !double.IsFinite(stepSeconds)) return;
        // A note on sixteenth n can move by at most +swing/2 step + 50 ms, or −50 ms: widen the candidate range by that.
        var lateMax = Math.Max(0, pattern.Swing) / 100.0 * stepSeconds / 2.0 + Step.MaxTiming / 1000.0;
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
            for (var n = nFirst; n <= nLast; n++)
            {
                var cycle = n / length;
                var si = (int)(n % length);
                var step = track.Steps[si];
                if (!step.Active) continue;
                var sampleKey = step.Sample ?? track.Sample;
                if (sampleKey is null) continue;
                var t = Timing.NoteTime(pattern, n, step.Timing);
                if (t < fromSeconds || t >= toSeconds) continue;
                if (!Probability.Fires(step.Probability, pattern.Seed, ti, si, cycle)) continue;
                events.Add(new NoteEvent(t, ti, si, cycle, sampleKey, step.Gain, track.Pan, step.Effects));
            }
        }
        events.Sort(start, events.Count - start, EventOrder.Instance);
    }

    /// <summary>Every note of <paramref name="cycles"/> cycles of the pattern (ARCHITECTURE §3), ordered as
    /// <see cref="EventsBetween"/>: see <see cref="EnumerateCycles"/>.</summary>
    public static List<NoteEvent> EventsForCycles(Pattern pattern, int cycles) => [.. EnumerateCycles(pattern, cycles)];

    /// <summary>The notes of the grid sixteenths n with 0 ≤ n &lt; <paramref name="cycles"/> × length, in time order
    /// (then track, then step), produced lazily with memory that does not grow with the number of cycles.
    /// Notes are chosen by that integer rule, never by comparing times with the span's end: swing and micro-timing
    /// move a note in time (a late last step may start after the span; step 0 with negative timing clamps to 0),
    /// but never in or out of an export.</summary>
    public static IEnumerable<NoteEvent> EnumerateCycles(Pattern pattern, int cycles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        return EnumerateGrid(pattern, (long)cycles * pattern.Length);
    }

    private static IEnumerable<NoteEvent> EnumerateGrid(Pattern pattern, long gridSteps)
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
                if (!Probability.Fires(step.Probability, pattern.Seed, ti, si, cycle)) continue;
                var e = new NoteEvent(Timing.NoteTime(pattern, n, step.Timing), ti, si, cycle, sampleKey, step.Gain, track.Pan, step.Effects);
                waiting.Enqueue(e, e);
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
            return c != 0 ? c : a.StepIndex.CompareTo(b.StepIndex);
        }
    }
}
