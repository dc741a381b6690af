using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Web.Audio.Playback;

/// <summary>The look-ahead transport: maps the audio clock to pattern time and, on each worker tick, asks the
/// <see cref="Scheduler"/> for the notes up to <see cref="HorizonSeconds"/> ahead of the clock. Web Audio keeps what
/// it was handed, so a main-thread stall shorter than the horizon drops nothing; an edit rewinds to the clock (the
/// notes handed out after that point are cancelled by the caller and handed out again from the new pattern). It never
/// sees audio nodes (the clock is apart from what it schedules), so tests drive it with a fake clock.</summary>
public sealed class Transport
{
    /// <summary>How far ahead of the audio clock notes are handed to Web Audio: more than a tick (25 ms) plus the
    /// longest main-thread stall the browser should survive (ARCHITECTURE §3: at least 400 ms; 1 s leaves room for a
    /// 300 ms stall on a loaded 2-core machine, where the stall itself stretches and the ticks after it queue up).
    /// An edit reschedules at most this much.</summary>
    public const double HorizonSeconds = 1.0;

    /// <summary>Delay between the first tick and the first note, so the first window's notes reach Web Audio before
    /// they are due even when that first round trip is slow.</summary>
    public const double StartDelaySeconds = 0.12;

    /// <summary>How late a note may be handed out after a start anchored in the past (a MIDI Start reaches the
    /// transport some 10–50 ms after its time): the downbeat heard that late rather than not at all.</summary>
    public const double LateStartSeconds = 0.1;

    private double _bpm;
    private bool _anchored;

    public bool Playing { get; private set; }

    /// <summary>Whether the fill switch is held (trig conditions "fill" / "!fill").</summary>
    public bool Fill { get; set; }

    /// <summary>Audio-clock time of the pattern's start (pattern time 0).</summary>
    public double Origin { get; private set; }

    /// <summary>Pattern time up to which notes have been handed out.</summary>
    public double ScheduledUntil { get; private set; }

    private double _startAt;
    private double? _originAt;

    /// <summary>Starts playing; the pattern's start is anchored to the first tick's clock (see <see cref="StartDelaySeconds"/>).</summary>
    /// <remarks><paramref name="fromSeconds"/>: pattern time to start from (MIDI Continue at a Song Position): the
    /// first tick's clock plus the delay is then that time, cycles counting from the pattern's start as ever.
    /// <paramref name="originAt"/>: the audio-clock time that pattern time <paramref name="fromSeconds"/> is at (an
    /// incoming MIDI Start's own time, so the loop lines up with the gear that sent it; notes already due play at once).
    /// </remarks>
    /// <paramref name="countInSeconds"/>: the pattern starts that much later still (a count-in bar before recording, issue 26).
    public void Start(Pattern pattern, double fromSeconds = 0, double? originAt = null, double countInSeconds = 0)
    {
        CountInSeconds = originAt is null ? Math.Max(0, countInSeconds) : 0;
        _startAt = Math.Max(0, fromSeconds);
        _originAt = originAt;
        ScheduledUntil = _startAt;
        _bpm = pattern.Bpm;
        _anchored = false;
        Playing = true;
    }

    /// <summary>The count-in before the pattern's start, of the last <see cref="Start"/>.</summary>
    public double CountInSeconds { get; private set; }

    /// <summary>Whether the first tick has anchored <see cref="Origin"/> to the audio clock.</summary>
    public bool Anchored => Playing && _anchored;

    public void Stop()
    {
        Playing = false;
        Queued = null;
    }

    /// <summary>The pattern that takes over where the current one's cycle ends (issue 25), null when none is queued.</summary>
    public Pattern? Queued { get; private set; }

    /// <summary>Pattern time (of the current pattern) at which <see cref="Queued"/> starts: the end of the cycle
    /// playing when it was queued (or, before the first tick, 0).</summary>
    public double QueuedAt { get; private set; }

    /// <summary>Queues <paramref name="next"/> to start exactly at the end of the current cycle (its step 0 there, at its
    /// own tempo); a later queue replaces it. The notes already handed out past that point are handed out again
    /// (the answer of the next tick says from when to cancel).</summary>
    /// <remarks>With <paramref name="afterCycles"/> (a song section of that many repeats) it starts no sooner than that
    /// many whole cycles after the current pattern's start.</remarks>
    public void Queue(Pattern next, Pattern current, double now, int afterCycles = 0)
    {
        var elapsed = _anchored ? Math.Max(0, now - Origin) : 0;
        var cycle = current.CycleSeconds;
        // The cycle under way ends at the next whole cycle after "now" (a boundary just passed counts as begun).
        QueuedAt = Math.Max(Math.Floor(elapsed / cycle + 1e-9) + 1, afterCycles) * cycle;
        Queued = next;
        _requeued = true;
    }

    /// <summary>Forgets a queued pattern (the notes after the boundary are handed out again from the current one).</summary>
    public void Unqueue()
    {
        if (Queued is null) return;
        _unqueuedFrom = QueuedAt;
        Queued = null;
        _requeued = true;
    }

    /// <summary>The queued pattern took over at the last tick: <see cref="Origin"/> is now its start.</summary>
    public bool Switched { get; private set; }

    /// <summary>The pattern that took over at the last switch.</summary>
    public Pattern? LastQueued { get; private set; }

    private bool _requeued;
    private double _unqueuedFrom = double.PositiveInfinity;

    /// <summary>Adds the notes (and metronome clicks) that start in [ScheduledUntil, now − Origin + horizon). With
    /// <paramref name="rewind"/> (the pattern was edited) or after a tempo change (which re-anchors the clock so the
    /// loop keeps its position) the notes already handed out from the clock on are handed out again: the answer is
    /// then the audio-clock time from which the earlier ones must be cancelled, else NaN.</summary>
    /// <remarks>With a pattern queued, the current one's notes are handed out up to <see cref="QueuedAt"/> and the
    /// queued one's from there (their times on the current origin's clock, so one tick's notes share one origin); once
    /// the clock passes that point the queued pattern becomes the current one: <see cref="Origin"/> moves to its start
    /// and <see cref="Switched"/> is set for that tick. <paramref name="pattern"/> is the current pattern (until the
    /// switch; after it the caller passes the queued one, which it then is).</remarks>
    public double Tick(double now, Pattern pattern, List<NoteEvent> notes, List<Click>? clicks = null, bool rewind = false)
    {
        Switched = false;
        if (!Playing) return double.NaN;
        if (!_anchored)
        {
            Origin = (_originAt ?? now + StartDelaySeconds + CountInSeconds) - _startAt;
            // Of notes already due, only those a moment late still play (at once); older ones would come as a burst.
            if (_originAt is not null) ScheduledUntil = Math.Max(_startAt, now - Origin - LateStartSeconds);
            _anchored = true;
        }
        if (Queued is { } queued && now - Origin >= QueuedAt)
        {
            // The queued pattern has begun: its start is the new origin, what was handed out of it stays.
            Origin += QueuedAt;
            ScheduledUntil -= QueuedAt;
            _bpm = queued.Bpm;
            Queued = null;
            LastQueued = queued;
            Switched = true;
            pattern = queued;
        }
        if (pattern.Bpm != _bpm)
        {
            Retime(now, pattern.Bpm);
            rewind = true;
        }
        var cancelFrom = double.NaN;
        if (rewind || _requeued)
        {
            // An edit hands out again from the clock; a queue (or its end) from where the queued pattern starts.
            var from = Math.Max(0, now - Origin);
            if (!rewind && Queued is not null) from = Math.Max(from, Math.Min(QueuedAt, ScheduledUntil));
            else if (!rewind) from = Math.Max(from, Math.Min(_unqueuedFrom, ScheduledUntil));
            if (from < ScheduledUntil)
            {
                ScheduledUntil = from;
                cancelFrom = Origin + from;
            }
            _requeued = false;
            _unqueuedFrom = double.PositiveInfinity;
        }
        var to = now - Origin + HorizonSeconds;
        if (!(to > ScheduledUntil)) return cancelFrom;
        if (Queued is { } next && to > QueuedAt)
        {
            if (ScheduledUntil < QueuedAt)
            {
                Scheduler.AddEventsBetween(pattern, ScheduledUntil, QueuedAt, notes, Fill);
                if (clicks is not null) Metronome.AddClicksBetween(pattern, ScheduledUntil, QueuedAt, clicks);
            }
            var from = Math.Max(0, ScheduledUntil - QueuedAt);
            var first = notes.Count;
            Scheduler.AddEventsBetween(next, from, to - QueuedAt, notes, Fill);
            for (var i = first; i < notes.Count; i++) notes[i] = notes[i] with { Time = notes[i].Time + QueuedAt };
            if (clicks is not null)
            {
                var firstClick = clicks.Count;
                Metronome.AddClicksBetween(next, from, to - QueuedAt, clicks);
                for (var i = firstClick; i < clicks.Count; i++) clicks[i] = clicks[i] with { Time = clicks[i].Time + QueuedAt };
            }
        }
        else
        {
            Scheduler.AddEventsBetween(pattern, ScheduledUntil, to, notes, Fill);
            if (clicks is not null) Metronome.AddClicksBetween(pattern, ScheduledUntil, to, clicks);
        }
        ScheduledUntil = to;
        return cancelFrom;
    }

    /// <summary>The cycle (from 0 since the current pattern started) playing at audio-clock time <paramref name="now"/>.</summary>
    public int CycleAt(double now, Pattern pattern) =>
        !Playing || !_anchored ? 0 : (int)Math.Max(0, Math.Floor((now - Origin) / pattern.CycleSeconds + 1e-9));

    /// <summary>Pattern position (in sixteenth steps, unswung) at audio-clock time <paramref name="now"/>.</summary>
    public double PositionInSteps(double now, Pattern pattern) => (now - Origin) / pattern.StepSeconds;

    // Same step position before and after: pattern time scales by oldBpm/newBpm around "now".
    private void Retime(double now, double newBpm)
    {
        var scale = _bpm / newBpm;
        var elapsed = now - Origin;
        Origin = now - elapsed * scale;
        ScheduledUntil *= scale;
        QueuedAt *= scale; // the cycle under way ends later (or sooner) too
        _bpm = newBpm;
    }
}
