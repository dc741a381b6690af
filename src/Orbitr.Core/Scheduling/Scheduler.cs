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

    /// <summary>Every note of <paramref name="cycles"/> cycles of the pattern: t in [0, cycles × length × stepSeconds).</summary>
    public static List<NoteEvent> EventsForCycles(Pattern pattern, int cycles) =>
        EventsBetween(pattern, 0, cycles * pattern.CycleSeconds);

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
