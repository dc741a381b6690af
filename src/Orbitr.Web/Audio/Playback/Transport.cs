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

    private double _bpm;
    private bool _anchored;

    public bool Playing { get; private set; }

    /// <summary>Audio-clock time of the pattern's start (pattern time 0).</summary>
    public double Origin { get; private set; }

    /// <summary>Pattern time up to which notes have been handed out.</summary>
    public double ScheduledUntil { get; private set; }

    /// <summary>Starts playing; the pattern's start is anchored to the first tick's clock (see <see cref="StartDelaySeconds"/>).</summary>
    public void Start(Pattern pattern)
    {
        ScheduledUntil = 0;
        _bpm = pattern.Bpm;
        _anchored = false;
        Playing = true;
    }

    public void Stop() => Playing = false;

    /// <summary>Adds the notes (and metronome clicks) that start in [ScheduledUntil, now − Origin + horizon). With
    /// <paramref name="rewind"/> (the pattern was edited) or after a tempo change (which re-anchors the clock so the
    /// loop keeps its position) the notes already handed out from the clock on are handed out again: the answer is
    /// then the audio-clock time from which the earlier ones must be cancelled, else NaN.</summary>
    public double Tick(double now, Pattern pattern, List<NoteEvent> notes, List<Click>? clicks = null, bool rewind = false)
    {
        if (!Playing) return double.NaN;
        if (!_anchored)
        {
            Origin = now + StartDelaySeconds;
            _anchored = true;
        }
        if (pattern.Bpm != _bpm)
        {
            Retime(now, pattern.Bpm);
            rewind = true;
        }
        var cancelFrom = double.NaN;
        if (rewind)
        {
            var from = Math.Max(0, now - Origin);
            if (from < ScheduledUntil)
            {
                ScheduledUntil = from;
                cancelFrom = Origin + from;
            }
        }
        var to = now - Origin + HorizonSeconds;
        if (!(to > ScheduledUntil)) return cancelFrom;
        Scheduler.AddEventsBetween(pattern, ScheduledUntil, to, notes);
        if (clicks is not null) Metronome.AddClicksBetween(pattern, ScheduledUntil, to, clicks);
        ScheduledUntil = to;
        return cancelFrom;
    }

    /// <summary>Pattern position (in sixteenth steps, unswung) at audio-clock time <paramref name="now"/>.</summary>
    public double PositionInSteps(double now, Pattern pattern) => (now - Origin) / pattern.StepSeconds;

    // Same step position before and after: pattern time scales by oldBpm/newBpm around "now".
    private void Retime(double now, double newBpm)
    {
        var scale = _bpm / newBpm;
        var elapsed = now - Origin;
        Origin = now - elapsed * scale;
        ScheduledUntil *= scale;
        _bpm = newBpm;
    }
}
